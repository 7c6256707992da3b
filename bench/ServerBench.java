import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Welcome;

/**
 * Loopback benchmark of a running lanfetch-server (run by bench/server-bench.sh).
 *
 * <pre>
 *   java -cp server/target/lanfetch-server.jar bench/ServerBench.java SERVER_PID PORT NAME IDLE
 * </pre>
 *
 * Opens IDLE connections from 127.0.0.2 and up that complete the handshake and then say
 * nothing, reports the server's threads and peak RSS while they are held, and downloads NAME
 * once with a raw protocol client, reporting time and throughput. Every loop is bounded.
 */
public class ServerBench {
  public static void main(String[] args) throws Exception {
    long pid = Long.parseLong(args[0]);
    var server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[1]));
    String name = args[2];
    int idle = Integer.parseInt(args[3]);

    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < idle; i++) {
        var local = InetAddress.getByAddress(new byte[] {127, 0, (byte) (i / 250), (byte) (2 + i % 250)});
        var s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(server, 10_000);
        s.setSoTimeout(30_000);
        var w = new FrameWriter(s.getOutputStream());
        w.write(Hello.current());
        w.flush();
        if (!(new FrameReader(s.getInputStream()).read() instanceof Welcome)) {
          throw new IOException("no WELCOME on idle connection " + i);
        }
        held.add(s);
      }
      if (idle > 0) {
        System.out.printf("idle connections held: %d%n", held.size());
        System.out.printf("server with %d idle: threads=%s VmRSS=%s VmHWM=%s%n", idle,
            status(pid, "Threads"), status(pid, "VmRSS"), status(pid, "VmHWM"));
      }
      download(server, name);
      System.out.printf("server after download: threads=%s VmRSS=%s VmHWM=%s%n",
          status(pid, "Threads"), status(pid, "VmRSS"), status(pid, "VmHWM"));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static void download(InetSocketAddress server, String name) throws IOException {
    try (var s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(60_000);
      InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      var reader = new FrameReader(in);
      var writer = new FrameWriter(s.getOutputStream());
      long t0 = System.nanoTime();
      writer.write(Hello.current());
      writer.write(GetRequest.whole(name));
      writer.flush();
      if (!(reader.read() instanceof Welcome)) {
        throw new IOException("no WELCOME");
      }
      var header = (GetHeader) reader.read();
      byte[] buf = new byte[1 << 20];
      long left = header.length();
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("stream ended with " + left + " bytes to go");
        }
        left -= n;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("downloaded %d bytes in %.2f s: %.0f MiB/s%n", header.length(), secs,
          header.length() / secs / (1 << 20));
    }
  }

  private static String status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).trim().replaceAll("\\s+", " ");
      }
    }
    return "?";
  }
}
