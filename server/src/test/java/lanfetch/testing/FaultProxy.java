package lanfetch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process loopback proxy in front of one upstream port, the way MockWebServer scripts a
 * socket effect: the first connection passes {@code after} bytes from the server to the client and
 * then suffers its {@link Effect}; later connections pass intact. Plain TCP, so it works under TLS
 * too (it then counts record bytes, not file bytes).
 */
public class FaultProxy implements AutoCloseable {
  /** What happens to the first connection once {@code after} server bytes have passed. */
  public enum Effect {
    /** Both directions closed, as when a cable is pulled or the server is killed. */
    CUT,
    /** Nothing more is forwarded; the connection stays open until the proxy closes. */
    STALL,
    /** The rest is forwarded one byte at a time, a millisecond apart: a very slow link. */
    DRIBBLE
  }

  private static final long STALL_LIMIT_SECONDS = 60;

  private final ServerSocket server;
  private final int upstreamPort;
  private final Effect effect;
  private final long after;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong dribbled = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);

  protected FaultProxy(int upstreamPort, Effect effect, long after) throws IOException {
    if (after < 0) {
      throw new IllegalArgumentException("after must not be negative, not " + after);
    }
    this.upstreamPort = upstreamPort;
    this.effect = Objects.requireNonNull(effect);
    this.after = after;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    var t = new Thread(this::acceptLoop, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  /** Closes the first connection after {@code after} bytes from the server. */
  public static FaultProxy cut(int upstreamPort, long after) throws IOException {
    return new FaultProxy(upstreamPort, Effect.CUT, after);
  }

  /** Stops forwarding the first connection after {@code after} bytes, until {@link #close}. */
  public static FaultProxy stall(int upstreamPort, long after) throws IOException {
    return new FaultProxy(upstreamPort, Effect.STALL, after);
  }

  /** Forwards the first connection one byte at a time after {@code after} bytes. */
  public static FaultProxy dribble(int upstreamPort, long after) throws IOException {
    return new FaultProxy(upstreamPort, Effect.DRIBBLE, after);
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Bytes forwarded one at a time so far: shows a test that the dribble really happened. */
  public long dribbled() {
    return dribbled.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        boolean first = connections.getAndIncrement() == 0;
        pump(client, upstream, null, "up");
        pump(upstream, client, first ? effect : null, "down");
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * Forwards {@code from} to {@code to}; with an effect, applies it after {@link #after} bytes. End
   * of stream is passed on as a half-close; a cut or stall ends in closing both sockets.
   */
  private void pump(Socket from, Socket to, Effect fault, String name) {
    var t =
        new Thread(
            () -> {
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                boolean reached = forward(in, out, fault == null ? Long.MAX_VALUE : after);
                if (reached && fault == Effect.DRIBBLE) {
                  dribble(in, out);
                } else if (reached) {
                  if (fault == Effect.STALL) {
                    awaitClose();
                  }
                  closeQuietly(from);
                  closeQuietly(to);
                  return;
                }
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(from); // one side went away: the other goes too, as a relay would
                closeQuietly(to);
              }
            },
            "fault-proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** Forwards up to {@code limit} bytes; true if the limit was reached before end of stream. */
  private static boolean forward(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[8192];
    long passed = 0;
    while (passed < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - passed));
      if (n < 0) {
        return false;
      }
      out.write(buf, 0, n);
      passed += n;
    }
    return true;
  }

  private void dribble(InputStream in, OutputStream out) throws IOException {
    for (int b; (b = in.read()) >= 0; ) {
      out.write(b);
      out.flush();
      dribbled.incrementAndGet();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the effect itself, not a wait
    }
  }

  private void awaitClose() {
    try {
      closed.await(STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing both ends of a faulted connection; either may be gone
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
