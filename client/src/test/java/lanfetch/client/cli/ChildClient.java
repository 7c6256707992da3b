package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** The client in its own JVM, for what only a process can show: signals, kill -9. */
final class ChildClient {
  private ChildClient() {}

  /** A builder running {@code lanfetch ARGS} with this test's class path. */
  static ProcessBuilder builder(String... args) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    var command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ClientMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Waits (30 s at most) until a file the child writes holds {@code size} bytes. */
  static void awaitSize(Process child, Path file, long size, Supplier<String> log)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(file) && Files.size(file) == size) && System.nanoTime() < deadline) {
      assertTrue(child.isAlive(), () -> "child ended early: " + log.get());
      LockSupport.parkNanos(1_000_000); // poll, gently
    }
    assertEquals(size, Files.size(file), log);
  }
}
