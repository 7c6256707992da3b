package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.FaultProxy;
import lanfetch.client.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 13: what a port that is not (yet) a working lanfetch server gets. A close before
 * any byte may pass and is retried; an HTTP answer is recognised at once; every retry says what
 * failed, which retry it is and how long it waits.
 */
class HandshakeFailureTest extends FakeServerTest {
  @TempDir Path dir;

  @Test
  void aPortThatAcceptsAndClosesIsALostConnectionRetriedThenExitThree() throws Exception {
    try (var closer = new ClosingPort()) {
      var r =
          Cli.run(
              "get",
              closer.address(),
              "x",
              "-o",
              dir.toString(),
              "--retries",
              "2",
              "--retry-wait",
              "1");
      assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
      assertEquals(3, closer.accepted.get(), "one try and two retries");
      assertTrue(r.err().contains("closed the connection before answering"), r::toString);
      assertTrue(r.err().contains("; retry 1 of 2 in 1 ms\n"), r::toString);
      assertTrue(r.err().contains("; retry 2 of 2 in 2 ms\n"), r::toString);
    }
  }

  @Test
  void aServerRestartingBehindAProxyIsWaitedFor() throws Exception {
    byte[] data = TestFiles.random(1000, 1);
    server.put("a.txt", data);
    try (var proxy = new FaultProxy(server.port(), 0)) { // the first connection closes at once
      var r = Cli.run("get", proxy.address(), "a.txt", "-o", dir.toString(), "--retry-wait", "1");
      assertEquals(0, r.exit(), r::toString);
      assertEquals(TestFiles.sha256(data), TestFiles.sha256(dir.resolve("[接收]a.txt")));
      assertTrue(
          r.err()
              .lines()
              .anyMatch(l -> l.startsWith("lanfetch: ") && l.endsWith("; retry 1 of 3 in 1 ms")),
          r::toString);
    }
  }

  @Test
  void anHttpServerIsNamedAtOnceAndNotRetried() throws Exception {
    try (var http = new ClosingPort("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")) {
      var r =
          Cli.run(
              "get",
              http.address(),
              "x",
              "-o",
              dir.toString(),
              "--retries",
              "3",
              "--retry-wait",
              "1");
      assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
      assertEquals(1, http.accepted.get(), "not retried");
      assertEquals(
          "lanfetch: \"x\": "
              + http.address()
              + " is an HTTP server, not lanfetch (it answered"
              + " \"HTTP/1.1 400 Bad Request\")\n",
          r.err(),
          r::toString);
      var list = Cli.run("list", http.address());
      assertEquals(ExitCodes.PROTOCOL, list.exit(), list::toString);
      assertTrue(list.err().contains("is an HTTP server, not lanfetch"), list::toString);
    }
  }

  @Test
  void aRefusedConnectionAnnouncesEachRetryOnOneLine() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var r = Cli.run("list", "127.0.0.1:" + port, "--retries", "2", "--retry-wait", "1500");
    assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
    var lines = r.err().lines().toList();
    assertEquals(3, lines.size(), r::toString);
    assertTrue(
        lines
            .get(0)
            .matches(
                "lanfetch: cannot connect to 127\\.0\\.0\\.1:"
                    + port
                    + ": .*; retry 1 of 2 in 1\\.5 s"),
        r::toString);
    assertTrue(lines.get(1).endsWith("; retry 2 of 2 in 3 s"), r::toString);
  }

  @Test
  void aFileAskedForAgainIsAnnouncedToo() throws Exception {
    byte[] data = TestFiles.random(300_000, 3);
    server.put("big.bin", data);
    try (var proxy =
        new FaultProxy(server.port(), 100_000)) { // the first connection is cut mid-body
      var r =
          Cli.run(
              "get",
              proxy.address(),
              "big.bin",
              "-o",
              dir.toString(),
              "--retries",
              "1",
              "--retry-wait",
              "1");
      assertEquals(0, r.exit(), r::toString);
      assertEquals(TestFiles.sha256(data), TestFiles.sha256(dir.resolve("[接收]big.bin")));
      assertTrue(
          r.err()
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("lanfetch: \"big.bin\": the connection to ")
                          && l.endsWith("; partial file kept; retry 1 of 1")),
          r::toString);
    }
  }

  @Test
  void quietRunsDoNotAnnounceRetries() throws Exception {
    try (var closer = new ClosingPort()) {
      var r =
          Cli.run(
              "get",
              closer.address(),
              "x",
              "-o",
              dir.toString(),
              "--retries",
              "1",
              "--retry-wait",
              "1",
              "-q");
      assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
      assertEquals(1, r.err().lines().count(), r::toString);
      assertTrue(!Files.exists(dir.resolve("[接收]x")));
    }
  }

  /**
   * Accepts every connection and closes it at once, without a byte (a proxy whose backend is down),
   * or after answering with {@code answer} (an HTTP server).
   */
  private static final class ClosingPort implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket();
    private final byte[] answer;

    ClosingPort() throws IOException {
      this("");
    }

    ClosingPort(String answer) throws IOException {
      this.answer = answer.getBytes(StandardCharsets.US_ASCII);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      var t = new Thread(this::run, "closing-port");
      t.setDaemon(true);
      t.start();
    }

    String address() {
      return "127.0.0.1:" + socket.getLocalPort();
    }

    private void run() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          accepted.incrementAndGet();
          if (answer.length > 0) {
            s.getInputStream()
                .readNBytes(4); // an HTTP server answers the first bytes it cannot parse
            s.getOutputStream().write(answer);
            s.shutdownOutput();
            s.getInputStream()
                .transferTo(OutputStream.nullOutputStream()); // until the client leaves
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
