package lanfetch.common;

/**
 * Closing where a failure to close has nothing left to report: a failure was already reported, or
 * the resource is being given up anyway (a failed start, a dropped connection, a loop ending) and
 * its descriptor is released either way.
 */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes {@code c} (if not null), ignoring what closing throws: the caller has either reported
   * the failure that matters already or has nothing left to lose.
   */
  public static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // The first error is the one reported; a second one from closing says nothing new.
    }
  }
}
