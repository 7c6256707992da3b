package lanfetch.server;

import java.io.Closeable;
import java.io.IOException;

/** Closing where a failure to close has nothing left to report. */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes {@code c}, if not null, ignoring an {@link IOException}: used where the resource is
   * being given up anyway (a failed start, a connection being dropped, a loop ending), its
   * descriptor is released either way, and another error, if any, is the one worth reporting.
   */
  public static void closeQuietly(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // Nothing to do: see above.
    }
  }
}
