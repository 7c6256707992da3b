package lanfetch.client;

import java.time.Duration;

/**
 * Hears of every retry just before its pause, so that a run that waits says why: one line for
 * people on stderr ({@code lanfetch: cannot connect to nas:7890: connection refused; retry 1 of 3
 * in 250 ms}): a connection opened again, or a file asked for again (at once, on the next free
 * connection). Called from whichever thread retries; implementations synchronise their output.
 */
public interface RetryNotice {
  /** Says nothing: tests, library use and {@code --quiet}. */
  RetryNotice SILENT = new Silent();

  /**
   * @param failure what failed, one line without the {@code lanfetch: } lead
   * @param retry which retry comes next, from 1
   * @param retries how many retries the run allows
   * @param wait the pause before it
   */
  void retrying(String failure, int retry, int retries, Duration wait);

  /**
   * The line people read for a retry: {@code ...; retry 1 of 3 in 250 ms}, without the pause when
   * there is none (a file asked for again on the next free connection).
   */
  static String line(String failure, int retry, int retries, Duration wait) {
    return failure
        + "; retry "
        + retry
        + " of "
        + retries
        + (wait.isZero() ? "" : " in " + Units.duration(wait));
  }

  /** A class, not a lambda: nothing is spun at run time on the start path. */
  final class Silent implements RetryNotice {
    private Silent() {}

    @Override
    public void retrying(String failure, int retry, int retries, Duration wait) {}
  }
}
