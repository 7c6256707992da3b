import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Welcome;

/**
 * The honest client's throughput with and without slow readers (run by bench/slow-readers.sh).
 *
 * <pre>
 *   java -cp server/target/lanfetch-server.jar bench/SlowReaders.java PORT NAME SHA256 SLOW ROUNDS
 * </pre>
 *
 * Downloads NAME ROUNDS times alone, then opens SLOW connections that each ask for NAME and
 * read 1 KiB a second, waits until every one of them has its header (so each body has been
 * started by a worker), and downloads NAME ROUNDS times again while they trickle. Every
 * download is checked against SHA256. Every wait is bounded.
 */
public class SlowReaders {
  public static void main(String[] args) throws Exception {
    var server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[0]));
    String name = args[1];
    String sha = args[2];
    int slow = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);

    report("alone", server, name, sha, rounds);
    List<Socket> trickling = new ArrayList<>();
    ScheduledExecutorService readers = Executors.newScheduledThreadPool(slow);
    var started = new CountDownLatch(slow);
    try {
      for (int i = 0; i < slow; i++) {
        trickling.add(startSlowReader(server, name, readers, started));
      }
      if (!started.await(5, TimeUnit.MINUTES)) {
        throw new IOException("only " + (slow - started.getCount()) + " of " + slow
            + " slow readers got their header in 5 minutes");
      }
      System.out.printf(Locale.ROOT, "%d slow readers have their headers, reading 1 KiB/s each%n", slow);
      report("with " + slow + " slow readers", server, name, sha, rounds);
      for (Socket s : trickling) {
        if (s.isClosed()) {
          throw new IOException("a slow reader was disconnected");
        }
      }
      System.out.println("every slow reader still connected");
    } finally {
      readers.shutdownNow();
      for (Socket s : trickling) {
        s.close();
      }
    }
  }

  private static void report(String what, InetSocketAddress server, String name, String sha,
      int rounds) throws Exception {
    double[] mibs = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      mibs[r] = download(server, name, sha);
    }
    java.util.Arrays.sort(mibs);
    System.out.printf(Locale.ROOT, "honest client %s: median %.0f MiB/s (min %.0f, max %.0f, %d rounds, sha256 ok)%n",
        what, mibs[rounds / 2], mibs[0], mibs[rounds - 1], rounds);
  }

  private static Socket startSlowReader(InetSocketAddress server, String name,
      ScheduledExecutorService readers, CountDownLatch started) throws IOException {
    var s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(server, 10_000);
    s.setSoTimeout(600_000);
    var w = new FrameWriter(s.getOutputStream());
    w.write(Hello.current());
    w.write(GetRequest.whole(name));
    w.flush();
    InputStream in = s.getInputStream();
    var reader = new FrameReader(in);
    byte[] kib = new byte[1024];
    var headerRead = new boolean[1];
    readers.scheduleAtFixedRate(() -> {
      try {
        if (!headerRead[0]) {
          if (!(reader.read() instanceof Welcome) || !(reader.read() instanceof GetHeader)) {
            throw new IOException("no WELCOME and GET_HEADER");
          }
          headerRead[0] = true;
          started.countDown();
        }
        in.readNBytes(kib, 0, kib.length);
      } catch (IOException e) {
        System.out.println("slow reader failed: " + e);
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
        throw new RuntimeException(e);
      }
    }, 0, 1, TimeUnit.SECONDS);
    return s;
  }

  private static double download(InetSocketAddress server, String name, String sha)
      throws Exception {
    try (var s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(120_000);
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
      var digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      long left = header.length();
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("stream ended with " + left + " bytes to go");
        }
        digest.update(buf, 0, n);
        left -= n;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(sha)) {
        throw new IOException("download differs from the file: sha256 " + got + ", expected " + sha);
      }
      return header.length() / secs / (1 << 20);
    }
  }
}
