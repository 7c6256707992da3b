package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A thousand connections that never say anything, from many loopback source addresses so the
 * per-address limit does not hide the test. They cost no threads; an honest client is served while
 * they hang and after they time out.
 */
class IdleConnectionsTest {
  private static final int IDLE = 1000;
  private static final int THREADS = 4;

  @RegisterExtension final ServerExtension server = ServerExtension.create();
  final List<Socket> idle = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : idle) {
      s.close();
    }
  }

  @Test
  void aThousandIdleConnectionsPinNoThreadsAndDoNotStarveAnHonestClient() throws IOException {
    byte[] data = new byte[1 << 20];
    new Random(3).nextBytes(data);
    Files.write(server.root().resolve("data.bin"), data);
    server.start(
        b -> b.threads(THREADS).maxConnections(IDLE + 24).handshakeTimeout(Duration.ofSeconds(10)));
    InetSocketAddress address = server.address();
    for (int i = 0; i < IDLE; i++) {
      var local =
          InetAddress.getByAddress(new byte[] {127, 0, (byte) (i / 250), (byte) (2 + i % 250)});
      var s = new Socket();
      s.setSoTimeout(30_000);
      s.bind(new InetSocketAddress(local, 0));
      s.connect(address, 10_000);
      idle.add(s);
    }
    Servers.await(
        Duration.ofSeconds(20),
        "all idle connections accepted",
        () -> server.get().openConnections() == IDLE);

    try (var honest = server.open()) {
      assertArrayEquals(data, honest.get("data.bin"));
      assertTrue(server.get().openConnections() > IDLE, "the idle connections were still open");
    }
    // Workers, the event loop, the FIFO watchdog and the directory sweeper (one each per
    // process): none per connection.
    assertTrue(serverThreads() <= THREADS + 3, "threads: " + serverThreads());

    Servers.await(
        Duration.ofSeconds(30),
        "idle connections timed out",
        () -> server.get().openConnections() == 0);
    for (Socket s : idle.subList(0, 5)) {
      ErrorMessage e = (ErrorMessage) new FrameReader(s.getInputStream()).read();
      assertEquals(ErrorCode.TIMEOUT.code(), e.code());
    }
    try (var honest = server.open()) {
      assertArrayEquals(data, honest.get("data.bin"));
    }
  }

  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("lanfetch-"))
        .count();
  }
}
