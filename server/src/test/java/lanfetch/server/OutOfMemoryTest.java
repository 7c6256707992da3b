package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import lanfetch.protocol.GetRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OutOfMemoryError on a worker must stop the server at once (ServerMain then exits non-zero),
 * not leave it limping on with some requests failing at random.
 */
class OutOfMemoryTest {
  @TempDir Path root;
  private FileServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anOutOfMemoryErrorOnAWorkerStopsTheServer() throws IOException {
    Files.writeString(root.resolve("f.txt"), "file");
    var warnings = new CopyOnWriteArrayList<String>();
    // The access log is written on the worker, right after the answer: the error comes from there.
    ServerLog failing =
        new ServerLog() {
          @Override
          public void access(AccessRecord record) {
            throw new OutOfMemoryError("Java heap space (simulated)");
          }

          @Override
          public void warn(String client, String message) {
            warnings.add(message);
          }
        };
    server = Servers.start(root, b -> b.log(failing));
    try (var client = TestClient.open(server)) {
      client.send(GetRequest.whole("f.txt"));
      Servers.await(
          Duration.ofSeconds(20), "the server to fail", () -> server.failure().isPresent());
      assertInstanceOf(OutOfMemoryError.class, server.failure().get());
      Servers.await(
          Duration.ofSeconds(20),
          "the failure to be logged",
          () -> warnings.stream().anyMatch(w -> w.contains("OutOfMemoryError")));
      assertThrows(IOException.class, () -> TestClient.open(server).close(), "no longer accepting");
    }
  }
}
