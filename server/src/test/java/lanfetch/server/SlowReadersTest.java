package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Message;
import lanfetch.protocol.Welcome;
import lanfetch.server.security.ServerTls;
import lanfetch.testing.TrustingTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that read a trickle must not take the workers from everyone else: a body that does not go
 * out within a short hold leaves its worker and the event loop finishes it as the client reads,
 * zero-copy on plain sockets, through a buffer over TLS.
 */
class SlowReadersTest {
  private static final int THREADS = 2;
  private static final int BIG = 16 * 1024 * 1024;

  /** Far longer than the test's bound: a slow reader is never cut for stalling here. */
  private static final Duration SEND_TIMEOUT = Duration.ofMinutes(5);

  /** Generous: the download takes well under a second on an idle machine. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path root;
  private FileServer server;
  private final List<Closeable> clients = new ArrayList<>();

  /** A thread per slow reader, so one waiting for its header does not hold up the others. */
  private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(THREADS + 10);

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Closeable c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anHonestClientDownloadsWhileMoreSlowReadersThanWorkersTrickle() throws Exception {
    byte[] big = bigFile("big.bin");
    server = Servers.start(root, b -> b.threads(THREADS).sendTimeout(SEND_TIMEOUT));
    var slow = new ArrayList<TestClient>();
    for (int i = 0; i < THREADS + 10; i++) {
      var c = TestClient.open(server);
      clients.add(c);
      c.socket().setReceiveBufferSize(4096);
      c.send(GetRequest.whole("big.bin"));
      slow.add(c);
    }
    var prefixes = new ArrayList<CompletableFuture<byte[]>>();
    for (TestClient c : slow) {
      prefixes.add(readAtOneKibPerSecond(c));
    }

    byte[] got =
        CompletableFuture.supplyAsync(() -> download("big.bin"))
            .get(BOUND.toSeconds(), TimeUnit.SECONDS);

    assertArrayEquals(big, got, "the honest client's copy");
    for (var prefix : prefixes) {
      assertArrayEquals(
          Arrays.copyOf(big, 1024),
          prefix.get(BOUND.toSeconds(), TimeUnit.SECONDS),
          "every slow reader got its first bytes right and is still connected");
    }
    for (TestClient c : slow) {
      assertEquals(1024, c.input().readNBytes(1024).length, "still connected, still served");
    }
  }

  @Test
  void aBodyLeftToTheLoopArrivesWholeOverAPlainSocket() throws Exception {
    byte[] big = bigFile("big.bin");
    Files.write(root.resolve("small.txt"), new byte[] {1, 2, 3});
    server = Servers.start(root, b -> b.threads(1).sendTimeout(SEND_TIMEOUT));
    var paused = TestClient.open(server);
    clients.add(paused);
    paused.send(GetRequest.whole("big.bin"));

    // Only once the paused body left the one worker can this be answered.
    byte[] small =
        CompletableFuture.supplyAsync(() -> download("small.txt"))
            .get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {1, 2, 3}, small);

    assertArrayEquals(big, paused.body(assertInstanceOf(GetHeader.class, paused.read())));
    assertArrayEquals(new byte[] {1, 2, 3}, paused.get("small.txt"), "the connection goes on");
  }

  @Test
  void aBodyLeftToTheLoopArrivesWholeOverTls() throws Exception {
    byte[] big = bigFile("big.bin");
    Files.write(root.resolve("small.txt"), new byte[] {1, 2, 3});
    var tls = ServerTls.loadOrCreate(root.resolveSibling(root.getFileName() + "-key.p12"));
    server = Servers.start(root, b -> b.threads(1).sendTimeout(SEND_TIMEOUT).tls(tls));
    var paused = TlsClient.open(server);
    clients.add(paused);
    paused.send(GetRequest.whole("big.bin"));

    var honest = TlsClient.open(server);
    clients.add(honest);
    honest.send(GetRequest.whole("small.txt"));
    var header =
        CompletableFuture.supplyAsync(() -> honest.readUnchecked())
            .get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {1, 2, 3}, honest.body(assertInstanceOf(GetHeader.class, header)));

    assertArrayEquals(big, paused.body(assertInstanceOf(GetHeader.class, paused.read())));
    paused.send(GetRequest.whole("small.txt"));
    assertArrayEquals(
        new byte[] {1, 2, 3},
        paused.body(assertInstanceOf(GetHeader.class, paused.read())),
        "the connection goes on");
  }

  private byte[] bigFile(String name) throws IOException {
    byte[] big = new byte[BIG];
    new Random(14).nextBytes(big);
    Files.write(root.resolve(name), big);
    return big;
  }

  private byte[] download(String name) {
    try (var honest = TestClient.open(server)) {
      return honest.get(name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The header, then 1 KiB a second for as long as the test runs; completes after 1 KiB. */
  private CompletableFuture<byte[]> readAtOneKibPerSecond(TestClient c) {
    var first = new CompletableFuture<byte[]>();
    trickle.scheduleAtFixedRate(
        () -> {
          try {
            if (!first.isDone()) {
              assertInstanceOf(GetHeader.class, c.read());
              first.complete(c.input().readNBytes(1024));
            } else {
              c.input().readNBytes(1024);
            }
          } catch (IOException | RuntimeException e) {
            first.completeExceptionally(e);
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
    return first;
  }

  /** The raw protocol over TLS, trusting the test server's self-signed certificate. */
  private static final class TlsClient implements Closeable {
    private final SSLSocket socket;
    private final FrameReader reader;
    private final FrameWriter writer;

    private TlsClient(SSLSocket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout((int) BOUND.toMillis());
      reader = new FrameReader(new BufferedInputStream(socket.getInputStream()));
      writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream()));
    }

    static TlsClient open(FileServer server) throws Exception {
      var context = TrustingTls.context();
      var address = server.address();
      var socket =
          (SSLSocket)
              context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
      var c = new TlsClient(socket);
      c.send(Hello.current());
      assertInstanceOf(Welcome.class, c.read());
      return c;
    }

    void send(Message m) throws IOException {
      writer.write(m);
      writer.flush();
    }

    Message read() throws IOException {
      return reader.read();
    }

    Message readUnchecked() {
      try {
        return read();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    byte[] body(GetHeader header) throws IOException {
      return reader.input().readNBytes(Math.toIntExact(header.length()));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
