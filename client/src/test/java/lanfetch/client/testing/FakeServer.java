package lanfetch.client.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Hello;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;

/**
 * A scripted lanfetch server speaking the raw protocol through the protocol module's codec,
 * on loopback port 0. Honest by default; its fields make it lie in the ways a client must
 * survive: traversal names in listings, short and long bodies, huge announced sizes, wrong
 * digests, refusals.
 */
public final class FakeServer implements AutoCloseable {
  public record File(byte[] data, long mtime) {}

  public final Map<String, File> files = new ConcurrentHashMap<>();
  /** Raw entries added to every listing of the root, unchecked: lies. */
  public final List<Entry> extraListing = new CopyOnWriteArrayList<>();
  public volatile int shortBy;
  public volatile int longBy;
  public volatile boolean hugeAnnounce;
  public volatile boolean wrongHash;
  public volatile ErrorCode refuseHandshake;
  /** After the client's half-close, keep the connection open until {@link #release} (or 30 s). */
  public volatile boolean holdAfterEnd;
  /** Answer LIST with full chunks of this name that never end (until the client leaves, or 60 s). */
  public volatile String endlessListing;
  public volatile boolean garbageHandshake;
  /** Answer at most this many requests per connection, then TOO_MANY_REQUESTS (closing). */
  public volatile int requestsPerConnection = Integer.MAX_VALUE;
  /**
   * In a body longer than this, send this many bytes, then hold the connection until
   * {@link #release} (or 30 s); shorter bodies go out whole.
   */
  public volatile int stallAfter = -1;
  public final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
  /** Refuse this many handshakes with BUSY before accepting. */
  public final AtomicInteger busyHandshakes = new AtomicInteger();
  public final AtomicInteger connections = new AtomicInteger();
  public final AtomicInteger gets = new AtomicInteger();
  /** GET offsets seen, in order. */
  public final List<Long> offsets = new CopyOnWriteArrayList<>();

  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private FakeServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "fake-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static FakeServer start() throws IOException {
    return new FakeServer();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public FakeServer put(String name, byte[] data, long mtime) {
    files.put(name, new File(data, mtime));
    return this;
  }

  public FakeServer put(String name, byte[] data) {
    return put(name, data, 1_795_305_600_000L);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        connections.incrementAndGet();
        var t = new Thread(() -> serve(s), "fake-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream raw = new BufferedOutputStream(s.getOutputStream(), 65536);
      var reader = new FrameReader(in);
      var writer = new FrameWriter(raw);
      if (!handshake(reader, writer, raw)) {
        return;
      }
      int answered = 0;
      for (Message m; (m = reader.read()) != null; ) {
        if (answered++ == requestsPerConnection) {
          writer.write(ErrorMessage.of(ErrorCode.TOO_MANY_REQUESTS, "reconnect"));
          writer.flush();
          return;
        }
        if (!answer(m, writer, raw, s)) {
          return;
        }
        if (in.available() == 0) {
          writer.flush();
        }
      }
      writer.flush();
      if (holdAfterEnd) {
        awaitRelease();
      }
    } catch (IOException e) {
      // The client went away; nothing to do for a fake.
    } finally {
      sockets.remove(s);
    }
  }

  private boolean handshake(FrameReader reader, FrameWriter writer, OutputStream raw) throws IOException {
    Message hello = reader.read();
    if (!(hello instanceof Hello)) {
      return false;
    }
    if (garbageHandshake) {
      raw.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
      raw.flush();
      return false;
    }
    if (busyHandshakes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      writer.write(ErrorMessage.of(ErrorCode.BUSY, "too many connections"));
      writer.flush();
      return false;
    }
    if (refuseHandshake != null) {
      writer.write(ErrorMessage.of(refuseHandshake, "refused by the fake"));
      writer.flush();
      return false;
    }
    writer.write(new Welcome(Wire.VERSION, 0, "fake/1"));
    writer.flush();
    return true;
  }

  private boolean answer(Message m, FrameWriter writer, OutputStream raw, Socket s) throws IOException {
    if (m instanceof ListRequest && endlessListing != null) {
      endlessList(writer);
      return false;
    } else if (m instanceof ListRequest l) {
      for (ListChunk c : ListChunk.split(listing(l.path(), l.recursive()), Wire.MAX_FRAME_SIZE)) {
        writer.write(c);
      }
    } else if (m instanceof StatRequest st) {
      File f = files.get(st.path());
      writer.write(f == null ? notFound(st.path())
          : new StatResult(new Entry(EntryKind.FILE, f.data().length, f.mtime(), st.path())));
    } else if (m instanceof HashRequest h) {
      File f = files.get(h.path());
      writer.write(f == null ? notFound(h.path()) : new HashResult(f.data().length, f.mtime(), digest(f.data())));
    } else if (m instanceof GetRequest g) {
      return get(g, writer, raw, s);
    }
    return true;
  }

  private boolean get(GetRequest g, FrameWriter writer, OutputStream raw, Socket s) throws IOException {
    gets.incrementAndGet();
    offsets.add(g.offset());
    File f = files.get(g.path());
    if (f == null) {
      writer.write(notFound(g.path()));
      return true;
    }
    int size = f.data().length;
    if (g.offset() > size) {
      writer.write(ErrorMessage.of(ErrorCode.INVALID_RANGE, "offset beyond the end"));
      return true;
    }
    if (hugeAnnounce) {
      writer.write(new GetHeader(1L << 50, g.offset(), (1L << 50) - g.offset(), f.mtime()));
      writer.flush();
      s.getInputStream().transferTo(OutputStream.nullOutputStream());  // until the client gives up
      return false;
    }
    int from = (int) g.offset();
    writer.write(new GetHeader(size, from, size - from, f.mtime()));
    if (stallAfter >= 0 && size - from > stallAfter) {
      raw.write(f.data(), from, stallAfter);
      raw.flush();
      awaitRelease();
      return false;
    }
    if (shortBy > 0) {
      raw.write(f.data(), from, Math.max(0, size - from - shortBy));
      raw.flush();
      return false;
    }
    raw.write(f.data(), from, size - from);
    if (longBy > 0) {
      raw.write(new byte[longBy]);
    }
    return true;
  }

  private void awaitRelease() {
    try {
      release.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void endlessList(FrameWriter writer) throws IOException {
    var entry = new Entry(EntryKind.FILE, 1, 0, endlessListing);
    var chunk = ListChunk.split(java.util.Collections.nCopies(60_000, entry), Wire.MAX_FRAME_SIZE).get(0);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < 1_000_000 && System.nanoTime() < deadline; i++) {
      writer.write(new ListChunk(chunk.entries(), false));  // until the client closes: a write fails
    }
    writer.flush();
  }

  private List<Entry> listing(String dir, boolean recursive) {
    var entries = new ArrayList<Entry>();
    var dirs = new TreeSet<String>();
    String prefix = dir.isEmpty() ? "" : dir + "/";
    for (var e : new TreeMap<>(files).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String rel = e.getKey().substring(prefix.length());
      int slash = rel.indexOf('/');
      if (slash >= 0 && !recursive) {
        dirs.add(rel.substring(0, slash));
        continue;
      }
      for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
        dirs.add(rel.substring(0, i));
      }
      entries.add(new Entry(EntryKind.FILE, e.getValue().data().length, e.getValue().mtime(), rel));
    }
    dirs.forEach(d -> entries.add(new Entry(EntryKind.DIRECTORY, 0, 0, d)));
    if (dir.isEmpty() || recursive) {
      entries.addAll(extraListing);
    }
    return entries;
  }

  private byte[] digest(byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
      if (wrongHash) {
        d[0] ^= 1;
      }
      return d;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ErrorMessage notFound(String name) {
    return ErrorMessage.of(ErrorCode.NOT_FOUND, "no such file: " + name);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
