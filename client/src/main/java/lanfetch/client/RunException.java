package lanfetch.client;

import java.io.IOException;

/**
 * A problem that stops a whole command, carrying the exit code it maps to. Its message is the
 * one line the user sees.
 */
final class RunException extends IOException {
  private final int exitCode;
  private final boolean retryable;

  RunException(int exitCode, String message) {
    this(exitCode, message, false, null);
  }

  RunException(int exitCode, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.retryable = retryable;
  }

  int exitCode() {
    return exitCode;
  }

  /** Whether trying again later may succeed (server busy, connection refused). */
  boolean retryable() {
    return retryable;
  }
}
