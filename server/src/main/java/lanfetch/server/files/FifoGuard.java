package lanfetch.server.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a FIFO swapped in between the attribute check and the open harmless. Java has no
 * non-blocking open, and opening a FIFO for reading waits for a writer: without this, a local user
 * who can swap a FIFO in for a file or directory the server is about to open would hold a worker
 * for as long as they like.
 *
 * <p>Every open of a name that is meant to be a regular file or a directory goes through {@link
 * #open}. A watchdog thread looks at the opens in progress every {@link #CHECK_MILLIS}; one that
 * has not returned after that and whose path is now a FIFO is released by opening the FIFO
 * read-write for a moment (on Linux that never blocks, and it gives the blocked reader its writer).
 * The released open then fails, so the request is refused as if the file had changed while being
 * opened, and a listing leaves the entry out. Opening and closing a FIFO moves no data through it.
 * Only FIFOs are touched: a slow open of anything else (a file on a slow disk, a device) is left
 * alone.
 */
final class FifoGuard {
  /** How often the watchdog looks, and how old an open must be before it does anything. */
  static final long CHECK_MILLIS = 50;

  /** The file type bits of st_mode, and the FIFO type. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFIFO = 0010000;
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /** An open in progress; {@code released} once the watchdog gave its FIFO a writer. */
  private static final class Pending {
    final Path path;
    final long since = System.nanoTime();
    volatile boolean released;

    Pending(Path path) {
      this.path = path;
    }
  }

  /** Opens in progress, by a token per call. */
  private static final Map<Object, Pending> PENDING = new ConcurrentHashMap<>();

  private static final AtomicLong RELEASES = new AtomicLong();
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "lanfetch-fifo-watchdog");
            t.setDaemon(true);
            return t;
          });

  static {
    WATCHDOG.scheduleWithFixedDelay(
        FifoGuard::releaseStuckOpens, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private FifoGuard() {}

  /** An open that may block; it throws, or returns something to close. */
  @FunctionalInterface
  interface Open<T extends Closeable> {
    T open() throws IOException;
  }

  /**
   * Runs {@code open} of {@code path}, a regular file or directory when it was checked.
   *
   * @param path the absolute path being opened, for the watchdog; on a file system other than the
   *     default one nothing can block and the open runs unwatched
   * @throws FileSystemException if a FIFO was swapped in and the watchdog released the open
   */
  static <T extends Closeable> T open(Path path, Open<T> open) throws IOException {
    if (path.getFileSystem() != FileSystems.getDefault()) {
      return open.open();
    }
    Object token = new Object();
    var pending = new Pending(path.toAbsolutePath());
    PENDING.put(token, pending);
    T opened;
    try {
      opened = open.open();
    } finally {
      PENDING.remove(token);
    }
    if (pending.released) {
      opened.close();
      throw new FileSystemException(
          path.toString(), null, "a FIFO was swapped in while it was being opened");
    }
    return opened;
  }

  /** How many opens the watchdog has released since the server started; for tests. */
  static long releases() {
    return RELEASES.get();
  }

  private static void releaseStuckOpens() {
    long now = System.nanoTime();
    for (Pending p : PENDING.values()) {
      if (now - p.since >= TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS) && isFifo(p.path)) {
        p.released = true;
        RELEASES.incrementAndGet();
        giveAWriter(p.path);
      }
    }
  }

  private static boolean isFifo(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode", NOFOLLOW);
      return mode instanceof Integer m && (m & S_IFMT) == S_IFIFO;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false; // gone, or no unix view: nothing this can release
    }
  }

  private static void giveAWriter(Path fifo) {
    try {
      FileChannel.open(
              fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
          .close();
    } catch (IOException | RuntimeException e) {
      // Swapped again or gone: the next check looks at whatever is there then.
    }
  }
}
