package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A thousand HTTP connections from 127.0.0.2 and up that made a request and then sit on their
 * keep-alive, half of them in the middle of a second request head: no thread each, no starving an
 * honest client, and all of them closed when the server stops (an unfinished head gets a 503
 * first). Their deadlines are long here, so that a slow machine setting them up does not see the
 * first ones expire; HostileHttpTest and HttpConformanceTest cover the deadlines.
 */
class IdleHttpConnectionsTest {
  private static final int IDLE = 1000;
  private static final int THREADS = 4;

  @RegisterExtension final ServerExtension server = ServerExtension.create();
  private final List<RawHttp> idle = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (RawHttp c : idle) {
      c.close();
    }
  }

  @Test
  void aThousandIdleHttpConnectionsPinNoThreads() throws IOException {
    byte[] data = new byte[1 << 20];
    new Random(4).nextBytes(data);
    Files.write(server.root().resolve("data.bin"), data);
    Files.writeString(server.root().resolve("a.txt"), "a");
    server.start(
        b ->
            b.threads(THREADS)
                .maxConnections(IDLE + 24)
                .idleTimeout(Duration.ofMinutes(5))
                .requestTimeout(Duration.ofMinutes(5)));
    InetSocketAddress address = server.address();
    for (int i = 0; i < IDLE; i++) {
      var local =
          InetAddress.getByAddress(new byte[] {127, 0, (byte) (i / 250), (byte) (2 + i % 250)});
      var c = new RawHttp(address, new InetSocketAddress(local, 0));
      idle.add(c);
      assertEquals(200, c.exchange(RawHttp.get("GET", "/a.txt")).status());
      if (i % 2 == 0) {
        c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n"); // and never the end of it
      }
    }
    assertEquals(IDLE, server.get().openConnections());

    try (var honest = new RawHttp(address)) {
      var r = honest.exchange(RawHttp.get("GET", "/data.bin"));
      assertArrayEquals(data, r.body());
    }
    // Workers, the event loop, the FIFO watchdog and the directory sweeper (one each per
    // process): none per connection.
    assertTrue(serverThreads() <= THREADS + 3, "threads: " + serverThreads());

    server.stop();
    for (int i = 0; i < 10; i++) {
      if (i % 2 == 0) {
        assertEquals(503, idle.get(i).read(false).status());
      }
      assertTrue(idle.get(i).closedByServer(), "connection " + i);
    }
    assertEquals(0, server.log().warnings.stream().filter(w -> w.contains("internal")).count());
  }

  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("lanfetch-"))
        .count();
  }
}
