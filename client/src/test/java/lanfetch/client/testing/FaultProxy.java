package lanfetch.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process loopback proxy that forwards one upstream, and cuts the first connection
 * after it has passed {@code cutAfter} bytes from the server to the client (both directions
 * closed, as when a cable is pulled or the server is killed). Later connections pass intact.
 */
public final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final long cutAfter;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cutDone;

  public FaultProxy(int upstreamPort, long cutAfter) throws IOException {
    this.upstreamPort = upstreamPort;
    this.cutAfter = cutAfter;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    var t = new Thread(this::acceptLoop, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        boolean cut = !cutDone;
        cutDone = true;
        pump(client, upstream, Long.MAX_VALUE, "up");
        pump(upstream, client, cut ? cutAfter : Long.MAX_VALUE, "down");
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, long limit, String name) {
    var t = new Thread(() -> {
      byte[] buf = new byte[8192];
      long passed = 0;
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (passed < limit) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, limit - passed));
          if (n < 0) {
            to.shutdownOutput();
            return;
          }
          out.write(buf, 0, n);
          passed += n;
        }
        from.close();
        to.close();
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "fault-proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing both ends of a cut connection; either may be gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
