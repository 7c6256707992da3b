package lanfetch.client;

import java.time.Duration;
import java.util.Objects;
import lanfetch.client.trust.Access;

/**
 * How a download run behaves.
 *
 * @param server where to connect
 * @param timeout connect and read timeout
 * @param retries extra attempts per file and per connection after a failure that may pass
 * @param retryWait the first pause before reconnecting; it doubles each time, up to 10 s
 * @param jobs parallel connections
 * @param verify check every file against the server's SHA-256
 * @param resume continue from partial files when the server's file is unchanged
 * @param existing what to do with a destination that exists
 * @param access the token to present and how to trust a TLS server
 * @param retryNotice told of every retry before its pause
 */
public record Settings(
    ServerAddress server,
    Duration timeout,
    int retries,
    Duration retryWait,
    int jobs,
    boolean verify,
    boolean resume,
    ExistingPolicy existing,
    Access access,
    RetryNotice retryNotice) {
  public Settings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(retryNotice, "retryNotice");
    Objects.requireNonNull(existing, "existing");
    if (jobs < 1 || retries < 0) {
      throw new IllegalArgumentException("jobs must be at least 1 and retries at least 0");
    }
  }

  /** Settings whose retries go unannounced. */
  public Settings(
      ServerAddress server,
      Duration timeout,
      int retries,
      Duration retryWait,
      int jobs,
      boolean verify,
      boolean resume,
      ExistingPolicy existing,
      Access access) {
    this(
        server,
        timeout,
        retries,
        retryWait,
        jobs,
        verify,
        resume,
        existing,
        access,
        RetryNotice.SILENT);
  }

  /** Settings for a plain connection without a token. */
  public Settings(
      ServerAddress server,
      Duration timeout,
      int retries,
      Duration retryWait,
      int jobs,
      boolean verify,
      boolean resume,
      ExistingPolicy existing) {
    this(server, timeout, retries, retryWait, jobs, verify, resume, existing, Access.NONE);
  }

  /** The pauses between attempts, starting at {@link #retryWait}. */
  public Backoff backoff() {
    return new Backoff(retryWait);
  }

  /**
   * Announces retry {@code retry} after {@code failure} and waits out its pause; an interrupt ends
   * the pause early.
   */
  public void pauseBeforeRetry(String failure, int retry) throws InterruptedException {
    Backoff backoff = backoff();
    retryNotice.retrying(failure, retry, retries, backoff.delay(retry));
    backoff.pause(retry);
  }
}
