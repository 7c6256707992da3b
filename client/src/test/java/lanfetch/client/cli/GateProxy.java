package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A loopback proxy in front of one upstream that holds every connection's server-to-client bytes
 * after {@code holdAfter} of them until {@link #open} is called: a run through it is stalled
 * mid-body, with its part files open, for as long as a test needs another run to overlap it. {@link
 * #awaitHeld} says when the stall has begun, so tests order two runs by events, not by time.
 */
final class GateProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final long holdAfter;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final CountDownLatch gate = new CountDownLatch(1);

  /** One permit per connection that has reached its hold point. */
  private final Semaphore held = new Semaphore(0);

  GateProxy(int upstreamPort, long holdAfter) throws IOException {
    this.upstreamPort = upstreamPort;
    this.holdAfter = holdAfter;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    var t = new Thread(this::acceptLoop, "gate-proxy");
    t.setDaemon(true);
    t.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Waits (60 s at most) until {@code connections} connections are held at their hold point. */
  void awaitHeld(int connections) throws InterruptedException {
    assertTrue(
        held.tryAcquire(connections, 60, TimeUnit.SECONDS),
        connections + " connections did not reach the hold point");
  }

  /** Lets every held connection, and every later one, pass freely. */
  void open() {
    gate.countDown();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, Long.MAX_VALUE, "up");
        pump(upstream, client, holdAfter, "down");
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, long holdAt, String name) {
    var t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              long passed = 0;
              boolean holding = holdAt != Long.MAX_VALUE;
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                  int want = holding ? (int) Math.min(buf.length, holdAt - passed) : buf.length;
                  if (holding && want == 0) {
                    out.flush();
                    held.release();
                    gate.await();
                    holding = false;
                    continue;
                  }
                  int n = in.read(buf, 0, want);
                  if (n < 0) {
                    to.shutdownOutput();
                    return;
                  }
                  out.write(buf, 0, n);
                  passed += n;
                }
              } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "gate-proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // either end of a proxied connection may be gone
    }
  }

  /**
   * Cuts every connection where it stands, the gate still shut: as a pulled cable, nothing held
   * reaches the client.
   */
  void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  @Override
  public void close() throws IOException {
    gate.countDown();
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
