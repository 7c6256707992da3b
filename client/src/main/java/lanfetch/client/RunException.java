package lanfetch.client;

import java.io.IOException;

/**
 * A problem that stops a whole command, carrying the exit code it maps to. Its message is the one
 * line the user sees.
 */
public final class RunException extends IOException {
  private final int exitCode;
  private final boolean retryable;

  public RunException(int exitCode, String message) {
    this(exitCode, message, false, null);
  }

  public RunException(int exitCode, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.retryable = retryable;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Whether trying again later may succeed (server busy, connection refused). */
  public boolean retryable() {
    return retryable;
  }
}
