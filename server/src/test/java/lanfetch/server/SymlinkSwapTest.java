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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A link swapped back and forth between a file inside the root and one outside while clients
 * download it: every answer is the inside file or a refusal, never an outside byte.
 */
class SymlinkSwapTest {
  private static final int SIZE = 64 * 1024;
  private static final int REQUESTS_PER_CLIENT = 400;
  private static final int LISTS_PER_CLIENT = 3000;

  @RegisterExtension final ServerExtension server = ServerExtension.create(b -> b.threads(4));

  @Test
  void neverAnOutsideByte() throws Exception {
    Path root = server.root();
    Path inside = root.resolve("inside.bin");
    Path outside = server.outside().resolve("outside.bin");
    byte[] in = new byte[SIZE];
    Arrays.fill(in, (byte) 'I');
    byte[] out = new byte[SIZE];
    Arrays.fill(out, (byte) 'O');
    Files.write(inside, in);
    Files.write(outside, out);
    Path link = root.resolve("swap");
    Files.createSymbolicLink(link, inside);

    var served = new AtomicInteger();
    race(stop -> swap(root, link, inside, outside, stop), i -> download(in, served));
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
    try (var c = server.open()) {
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

  /**
   * A real directory, checked as such, replaced by a link to an outside directory for a moment and
   * put back: a listing that went by path after the check would show the outside names.
   */
  private static int swapDirectory(Path dir, Path outside, AtomicBoolean stop) throws IOException {
    Path aside = dir.resolveSibling(dir.getFileName() + ".aside");
    int swaps = 0;
    while (!stop.get() && swaps < 1_000_000) {
      Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
      Files.createSymbolicLink(dir, outside);
      Files.delete(dir);
      Files.move(aside, dir, StandardCopyOption.ATOMIC_MOVE);
      swaps++;
    }
    return swaps;
  }

  @Test
  void listingsNeverShowAnOutsideName() throws Exception {
    Path root = server.root();
    Path inside = Files.createDirectories(root.resolve("indir"));
    Path outside = Files.createDirectories(server.outside().resolve("outdir"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(inside.resolve("inside-" + i), "I");
      Files.writeString(outside.resolve("OUTSIDE-" + i), "O");
    }

    var listed = new AtomicInteger();
    race(
        stop -> swapDirectory(inside, outside, stop),
        i -> i == 0 ? list("", true, listed) : list("indir", false, listed));
    assertTrue(listed.get() > 0, "some listings showed the inside directory");
  }

  private Void list(String dir, boolean recursive, AtomicInteger listed) throws IOException {
    try (var c = server.open()) {
      for (int i = 0; i < LISTS_PER_CLIENT; i++) {
        c.send(new lanfetch.protocol.ListRequest(dir, recursive));
        Message m = c.read();
        if (m instanceof ErrorMessage) {
          continue;
        }
        var entries = new ArrayList<>(((lanfetch.protocol.ListChunk) m).entries());
        if (!((lanfetch.protocol.ListChunk) m).last()) {
          entries.addAll(c.readListing());
        }
        for (var e : entries) {
          if (e.name().contains("OUTSIDE")) {
            fail("listed an outside name: " + e.name());
          }
        }
        if (entries.stream().anyMatch(e -> e.name().contains("inside-"))) {
          listed.incrementAndGet();
        }
      }
    }
    return null;
  }

  interface Swapper {
    int run(AtomicBoolean stop) throws IOException;
  }

  interface Client {
    Void run(int index) throws IOException;
  }

  /** Three clients against one swapper; the swapper stops when the clients are done. */
  private static void race(Swapper swapper, Client client) throws Exception {
    var stop = new AtomicBoolean();
    var pool = Executors.newFixedThreadPool(4);
    try {
      Future<Integer> swaps = pool.submit(() -> swapper.run(stop));
      var clients = new ArrayList<Future<?>>();
      for (int i = 0; i < 3; i++) {
        int index = i;
        clients.add(pool.submit(() -> client.run(index)));
      }
      for (Future<?> f : clients) {
        f.get(120, TimeUnit.SECONDS);
      }
      stop.set(true);
      assertTrue(swaps.get(10, TimeUnit.SECONDS) > 100, "the link was swapped");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }
}
