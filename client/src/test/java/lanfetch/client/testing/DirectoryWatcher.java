package lanfetch.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Polls a final file name in a background thread for as long as a download runs, and records
 * whether it was ever seen incomplete: what anyone watching the output directory would see.
 */
public final class DirectoryWatcher {
  private final Path file;
  private final long expectedSize;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<String> violation = new AtomicReference<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final Thread thread;

  /**
   * @param expectedSize the complete size, or -1 if the file must not appear at all
   */
  public DirectoryWatcher(Path file, long expectedSize) {
    this.file = file;
    this.expectedSize = expectedSize;
    thread = new Thread(this::poll, "watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    while (running.get()) {
      polls.incrementAndGet();
      try {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          long size = Files.size(file);
          if (expectedSize < 0 || size != expectedSize) {
            violation.compareAndSet(null, file.getFileName() + " seen with " + size + " bytes");
          }
        }
      } catch (IOException e) {
        // Renamed between exists and size: the next poll looks again.
      }
      java.util.concurrent.locks.LockSupport.parkNanos(
          100_000); // poll often, leave the CPU to the download
    }
  }

  /** Stops polling; returns what was seen wrong, or null. */
  public String stop() throws InterruptedException {
    running.set(false);
    thread.join();
    return violation.get();
  }

  public int polls() {
    return polls.get();
  }
}
