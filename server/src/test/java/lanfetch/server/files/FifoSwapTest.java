package lanfetch.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.server.FileServer;
import lanfetch.server.Servers;
import lanfetch.server.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO swapped in between the attribute check and the open must not block a worker: opening a
 * FIFO for reading waits for a writer, and Java has no non-blocking open. The first tests make the
 * swap land exactly between check and open; the last one races a swapping thread against a server
 * with one worker.
 */
class FifoSwapTest {
  /** Generous: a released open returns within a watchdog period or two. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path root;
  private final List<Path> fifos = new ArrayList<>();
  private FileServer server;

  @AfterEach
  void releaseAndStop() throws IOException {
    // Opens that blocked (before the fix) wait for a writer: give them one so no thread leaks.
    for (Path fifo : fifos) {
      if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void openingAFileSwappedForAFifoAfterTheCheckIsRefused() throws Exception {
    Files.writeString(root.resolve("f.txt"), "file");
    var confinement = Confinement.of(root.toRealPath(), true, false);
    Resolved r = confinement.resolve("f.txt");
    swapInFifo(root.resolve("f.txt"));

    var e = assertFinishesExceptionally(() -> confinement.open(r).close());
    assertInstanceOf(RequestException.class, e);
  }

  @Test
  void theReadabilityCheckOfAListingDoesNotBlockOnAFifo() throws Exception {
    Files.writeString(root.resolve("f.txt"), "file");
    var confinement = Confinement.of(root.toRealPath(), true, false);
    Resolved r = confinement.resolve("f.txt");
    swapInFifo(root.resolve("f.txt"));

    assertInstanceOf(
        RequestException.class, assertFinishesExceptionally(() -> confinement.checkReadable(r)));
  }

  @Test
  void aDirectoryOnTheWaySwappedForAFifoIsRefused() throws Exception {
    Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("d/f.txt"), "file");
    var confinement = Confinement.of(root.toRealPath(), true, false);
    Resolved r = confinement.resolve("d/f.txt");
    Files.move(root.resolve("d"), root.resolve("d-moved"));
    fifo(root.resolve("d"));

    assertInstanceOf(
        RequestException.class, assertFinishesExceptionally(() -> confinement.open(r).close()));
  }

  @Test
  void aSwapRaceNeverHoldsTheOnlyWorker() throws Exception {
    Files.writeString(root.resolve("f.txt"), "file");
    Files.writeString(root.resolve("spare.txt"), "file");
    Path spareFifo = fifo(root.resolve("spare-fifo"));
    server = Servers.start(root, b -> b.threads(1));
    var swapping = new AtomicBoolean(true);
    var swapper = CompletableFuture.runAsync(() -> swapUntilStopped(root, spareFifo, swapping));
    long releasedBefore = FifoGuard.releases();
    long end = System.nanoTime() + BOUND.toNanos();
    int requests = 0;
    try (var client = TestClient.open(server)) {
      client.socket().setSoTimeout((int) BOUND.toMillis());
      // Bounded in count and time; done early once the watchdog released a few opens.
      while (requests < 20_000
          && System.nanoTime() - end < 0
          && FifoGuard.releases() - releasedBefore < 3) {
        client.send(GetRequest.whole("f.txt"), new ListRequest("", false));
        assertAnswered(client, "GET");
        assertAnswered(client, "LIST");
        requests += 2;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server stopped answering after "
              + requests
              + " requests: "
              + "a worker is blocked opening a FIFO",
          e);
    } finally {
      swapping.set(false);
      swapper.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }
    try (var after = TestClient.open(server)) {
      assertEquals(
          "file",
          new String(after.get("f.txt"), java.nio.charset.StandardCharsets.UTF_8),
          "the one worker still answers");
    }
  }

  /** An answer to one request: a GET header and its body, a whole listing, or an ERROR. */
  private static void assertAnswered(TestClient client, String what) throws IOException {
    Message m = client.read();
    if (m instanceof GetHeader h) {
      client.body(h);
      return;
    }
    while (m instanceof ListChunk c && !c.last()) {
      m = client.read();
    }
    assertTrue(m instanceof ListChunk || m instanceof ErrorMessage, what + " answered " + m);
  }

  /** Swaps a FIFO in for f.txt and back, in a loop, until told to stop; f.txt ends a file. */
  private static void swapUntilStopped(Path root, Path spareFifo, AtomicBoolean swapping) {
    Path target = root.resolve("f.txt");
    Path spareFile = root.resolve("spare-file");
    try {
      for (int i = 0; i < 10_000_000 && swapping.get(); i++) {
        Files.move(target, spareFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(spareFifo, target, StandardCopyOption.ATOMIC_MOVE);
        Files.move(target, spareFifo, StandardCopyOption.ATOMIC_MOVE);
        Files.move(spareFile, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path fifo(Path p) throws InterruptedException {
    assumeTrue(mkfifo(p), "mkfifo is not available");
    fifos.add(p);
    return p;
  }

  private void swapInFifo(Path file) throws IOException, InterruptedException {
    Files.delete(file);
    fifo(file);
  }

  private interface Attempt {
    void run() throws Exception;
  }

  /** Runs {@code attempt} on another thread; it must end, with an exception, within the bound. */
  private static Throwable assertFinishesExceptionally(Attempt attempt) throws Exception {
    var done =
        CompletableFuture.runAsync(
            () -> {
              try {
                attempt.run();
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    try {
      done.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the open blocked on the FIFO for " + BOUND, e);
    }
    throw new AssertionError("opened a FIFO swapped in for a file");
  }

  private static boolean mkfifo(Path p) throws InterruptedException {
    try {
      Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
      return proc.waitFor() == 0 && Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return false;
    }
  }
}
