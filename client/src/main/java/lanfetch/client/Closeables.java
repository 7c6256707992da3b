package lanfetch.client;

/** Closing on paths where a failure was already reported, or where closing is best effort. */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes {@code c} (if not null), ignoring what closing throws: the caller has either
   * reported the failure that matters already or has nothing left to lose.
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
