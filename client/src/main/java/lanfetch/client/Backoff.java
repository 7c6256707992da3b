package lanfetch.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The pause before another attempt: {@code first}, doubled for each failure in a row, at most
 * {@link #MAX}. Every retry loop of the client (opening a connection, reconnecting a pipelined
 * connection, resuming the download to stdout) waits through this one rule.
 */
public record Backoff(Duration first) {
  /** The longest pause, however many failures came before. */
  public static final Duration MAX = Duration.ofSeconds(10);

  public Backoff {
    Objects.requireNonNull(first, "first");
  }

  /** The pause after {@code failures} failures in a row (1 for the first). */
  public Duration delay(int failures) {
    long millis = first.toMillis() << Math.min(failures - 1, 16);
    return Duration.ofMillis(Math.min(millis, MAX.toMillis()));
  }

  /** Waits out the pause after {@code failures} failures; an interrupt ends it early. */
  public void pause(int failures) throws InterruptedException {
    Thread.sleep(delay(failures).toMillis());
  }
}
