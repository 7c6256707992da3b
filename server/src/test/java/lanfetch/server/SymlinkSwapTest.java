package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link swapped back and forth between a file inside the root and one outside while clients
 * download it: every answer is the inside file or a refusal, never an outside byte.
 */
class SymlinkSwapTest {
  private static final int SIZE = 64 * 1024;
  private static final int REQUESTS_PER_CLIENT = 400;

  @TempDir Path base;
  FileServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void neverAnOutsideByte() throws Exception {
    Path root = Files.createDirectories(base.resolve("root"));
    Path inside = root.resolve("inside.bin");
    Path outside = base.resolve("outside.bin");
    byte[] in = new byte[SIZE];
    Arrays.fill(in, (byte) 'I');
    byte[] out = new byte[SIZE];
    Arrays.fill(out, (byte) 'O');
    Files.write(inside, in);
    Files.write(outside, out);
    Path link = root.resolve("swap");
    Files.createSymbolicLink(link, inside);
    server = Servers.start(root, b -> b.threads(4));

    var stop = new AtomicBoolean();
    var served = new AtomicInteger();
    var pool = Executors.newFixedThreadPool(4);
    try {
      Future<Integer> swapper = pool.submit(() -> swap(root, link, inside, outside, stop));
      var clients = new ArrayList<Future<?>>();
      for (int i = 0; i < 3; i++) {
        clients.add(pool.submit(() -> download(in, served)));
      }
      for (Future<?> f : clients) {
        f.get(120, TimeUnit.SECONDS);
      }
      stop.set(true);
      assertTrue(swapper.get(10, TimeUnit.SECONDS) > 100, "the link was swapped");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertTrue(served.get() > 0, "some downloads succeeded, so the race was exercised");
  }

  private static int swap(Path root, Path link, Path inside, Path outside, AtomicBoolean stop)
      throws IOException {
    int swaps = 0;
    Path tmp = root.resolve("swap.tmp");
    while (!stop.get() && swaps < 1_000_000) {
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, swaps % 2 == 0 ? outside : inside);
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      swaps++;
    }
    return swaps;
  }

  private Void download(byte[] expected, AtomicInteger served) throws IOException {
    try (var c = TestClient.open(server)) {
      for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
        c.send(GetRequest.whole("swap"));
        Message m = c.read();
        if (m instanceof GetHeader h) {
          byte[] body = c.body(h);
          if (!Arrays.equals(expected, body)) {
            fail("served bytes that are not the inside file: first byte " + (char) body[0]);
          }
          served.incrementAndGet();
        } else if (!(m instanceof ErrorMessage)) {
          fail("unexpected answer " + m);
        }
      }
    }
    return null;
  }
}
