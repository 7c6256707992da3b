package lanfetch.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Starting servers on loopback port 0, and waiting for things without sleeping blindly. */
public final class Servers {
  private Servers() {}

  public static FileServer start(Path root, UnaryOperator<ServerConfig.Builder> tweak)
      throws IOException {
    return FileServer.start(
        tweak
            .apply(ServerConfig.builder(root).bindAddress(InetAddress.getLoopbackAddress()).port(0))
            .build());
  }

  /** Polls until the condition holds, failing after the timeout. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /**
   * Runs {@code task} on the server's event-loop thread, for tests in other packages that simulate
   * a loop failure; {@link FileServer#onLoopThread} is package-private.
   */
  public static void onLoopThread(FileServer server, Runnable task) {
    server.onLoopThread(task);
  }

  /** Requests waiting for a worker, for tests in other packages. */
  public static int queuedRequests(FileServer server) {
    return server.queuedRequests();
  }

  /** Open file descriptors of this JVM (Linux). */
  public static long openFiles() {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean procFdAvailable() {
    return Files.isDirectory(Path.of("/proc/self/fd"));
  }
}
