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
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * A scripted lanfetch server speaking the raw protocol through the protocol module's codec, on
 * loopback port 0, in the manner of OkHttp's MockWebServer. It answers honestly unless a {@link
 * Fault} is {@linkplain #enqueue enqueued} for the next matching request or {@linkplain #setDefault
 * set as the default} for a kind of request; it records every request it reads, in order, for
 * {@link #takeRequest()}.
 *
 * <pre>{@code
 * server.enqueue(Fault.SHORT_BODY.by(1000));          // the next GET ends 1000 bytes early
 * server.enqueue(Fault.BUSY);                         // the next handshake is refused
 * server.setDefault(Fault.ALLOWANCE.by(7));           // every other connection answers 7 requests
 * ... run the client ...
 * assertEquals(List.of(0L, 4096L), server.takeAll(Kind.GET).stream().map(RecordedRequest::offset).toList());
 * }</pre>
 */
public final class FakeServer implements AutoCloseable {
  /** A file the fake serves. */
  public record File(byte[] data, long mtime) {}

  /** The kinds of request a fault can be scripted for. */
  public enum Kind {
    HELLO,
    LIST,
    STAT,
    HASH,
    GET;

    static Kind of(Message m) {
      if (m instanceof Hello) {
        return HELLO;
      } else if (m instanceof ListRequest) {
        return LIST;
      } else if (m instanceof StatRequest) {
        return STAT;
      } else if (m instanceof HashRequest) {
        return HASH;
      } else if (m instanceof GetRequest) {
        return GET;
      }
      throw new IllegalArgumentException("not a request: " + m);
    }
  }

  /**
   * Named misbehaviours, each for one kind of request (like MockWebServer's {@code SocketPolicy}).
   * Those that take an amount or a name get it through {@link #by}, {@link #with} or {@link
   * #named}; the others can be enqueued as they are.
   */
  public enum Fault {
    /** Handshake refused with BUSY (too many connections); the connection closes. */
    BUSY(Kind.HELLO),
    /** Handshake refused with the error code given by {@link #with}; the connection closes. */
    REFUSE(Kind.HELLO),
    /** An HTTP error instead of WELCOME: not a lanfetch server at all. */
    NOT_LANFETCH(Kind.HELLO),
    /** The connection answers {@link #by amount} requests, then TOO_MANY_REQUESTS and closes. */
    ALLOWANCE(Kind.HELLO),
    /** After the client's end of stream the connection stays open until {@link #release}. */
    HOLD_OPEN(Kind.HELLO),
    /** Full LIST chunks of one {@link #named name} that never end, until the client leaves. */
    ENDLESS_LISTING(Kind.LIST),
    /**
     * A LIST answered with ERROR BUSY, as a server at its budget of listings does; the connection
     * closes.
     */
    BUSY_LISTING(Kind.LIST),
    /** The digest's first bit is flipped. */
    WRONG_DIGEST(Kind.HASH),
    /** The body ends {@link #by amount} bytes early and the connection closes. */
    SHORT_BODY(Kind.GET),
    /** {@link #by Amount} zero bytes follow the body. */
    LONG_BODY(Kind.GET),
    /** The header announces 2^50 bytes; nothing follows. */
    HUGE_SIZE(Kind.GET),
    /**
     * A body longer than {@link #by amount} bytes stops after that many until {@link #release}; a
     * shorter body goes out whole.
     */
    STALL_BODY(Kind.GET);

    private final Kind kind;

    Fault(Kind kind) {
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }

    public Scripted by(long amount) {
      return new Scripted(this, amount, null, null, null);
    }

    public Scripted with(ErrorCode code) {
      return new Scripted(this, 0, Objects.requireNonNull(code), null, null);
    }

    public Scripted named(String name) {
      return new Scripted(this, 0, null, Objects.requireNonNull(name), null);
    }

    /** Only for requests naming {@code path} (LIST, STAT, HASH, GET). */
    public Scripted forPath(String path) {
      return new Scripted(this, 0, null, null, Objects.requireNonNull(path));
    }

    Scripted plain() {
      return new Scripted(this, 0, null, null, null);
    }
  }

  /** A fault with its argument, scripted for matching requests. */
  public record Scripted(Fault fault, long amount, ErrorCode code, String name, String path) {
    public Scripted {
      Objects.requireNonNull(fault);
      if (amount < 0) {
        throw new IllegalArgumentException(fault + " needs an amount of at least 0, not " + amount);
      }
      if (fault == Fault.REFUSE && code == null) {
        throw new IllegalArgumentException("REFUSE needs an error code: REFUSE.with(code)");
      }
      if (fault == Fault.ENDLESS_LISTING && name == null) {
        throw new IllegalArgumentException(
            "ENDLESS_LISTING needs a name: ENDLESS_LISTING.named(name)");
      }
      if (path != null && fault.kind() == Kind.HELLO) {
        throw new IllegalArgumentException(fault + " is for handshakes, which name no path");
      }
    }

    /** The same fault, only for requests naming {@code path}. */
    public Scripted forPath(String path) {
      return new Scripted(fault, amount, code, name, Objects.requireNonNull(path));
    }

    boolean matches(Kind kind, String requestPath) {
      return fault.kind() == kind && (path == null || path.equals(requestPath));
    }
  }

  /**
   * One request as the fake read it: its message, the connection it came on (numbered from 1 in the
   * order they were accepted), its place among all requests (from 1), and the fault it got.
   */
  public record RecordedRequest(Message message, int connection, int sequence, Fault fault) {
    public Kind kind() {
      return Kind.of(message);
    }

    /** The offset of a GET. */
    public long offset() {
      if (!(message instanceof GetRequest g)) {
        throw new IllegalStateException("not a GET: " + message);
      }
      return g.offset();
    }
  }

  private static final long WAIT_SECONDS = 30;

  private final Map<String, File> files = new ConcurrentHashMap<>();
  private final List<Entry> listingLies = new CopyOnWriteArrayList<>();
  private final List<Scripted> queue = new ArrayList<>(); // guarded by itself
  private final Map<Kind, Scripted> defaults = new ConcurrentHashMap<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  private FakeServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    var acceptor = new Thread(this::acceptLoop, "fake-server");
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

  /**
   * Adds a raw entry, unchecked, to every listing of the root and every recursive listing: a lie.
   */
  public FakeServer lieInListings(Entry entry) {
    listingLies.add(Objects.requireNonNull(entry));
    return this;
  }

  /** The next request matching {@code fault} (its kind, and its path if given) gets it. */
  public FakeServer enqueue(Scripted fault) {
    synchronized (queue) {
      queue.add(Objects.requireNonNull(fault));
    }
    return this;
  }

  /** The next request of the fault's kind gets it. */
  public FakeServer enqueue(Fault fault) {
    return enqueue(fault.plain());
  }

  /** Every request of the fault's kind that nothing enqueued matches gets it. */
  public FakeServer setDefault(Scripted fault) {
    defaults.put(fault.fault().kind(), fault);
    return this;
  }

  public FakeServer setDefault(Fault fault) {
    return setDefault(fault.plain());
  }

  public FakeServer clearDefault(Kind kind) {
    defaults.remove(kind);
    return this;
  }

  /** Lets every stalled body and held connection go on; they wait 30 s at most otherwise. */
  public void release() {
    release.countDown();
  }

  /** The next request the fake read, in order; fails if none comes within 30 s. */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest r = requests.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request within " + WAIT_SECONDS + " s");
    }
    return r;
  }

  /** Takes every request read so far, in order. */
  public List<RecordedRequest> takeAll() {
    var all = new ArrayList<RecordedRequest>();
    requests.drainTo(all);
    return all;
  }

  /** Takes every request read so far, in order, and returns those of {@code kind}. */
  public List<RecordedRequest> takeAll(Kind kind) {
    return takeAll().stream().filter(r -> r.kind() == kind).toList();
  }

  /** Requests read so far, taken or not. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Connections accepted so far. */
  public int connectionCount() {
    return connectionCount.get();
  }

  private Scripted faultFor(Kind kind, String path) {
    synchronized (queue) {
      for (Iterator<Scripted> it = queue.iterator(); it.hasNext(); ) {
        Scripted s = it.next();
        if (s.matches(kind, path)) {
          it.remove();
          return s;
        }
      }
    }
    Scripted d = defaults.get(kind);
    return d != null && d.matches(kind, path) ? d : null;
  }

  private Scripted record(Message m, int connection) {
    Kind kind = Kind.of(m);
    Scripted s = faultFor(kind, pathOf(m));
    requests.add(
        new RecordedRequest(
            m, connection, requestCount.incrementAndGet(), s == null ? null : s.fault()));
    return s;
  }

  private static String pathOf(Message m) {
    if (m instanceof ListRequest l) {
      return l.path();
    } else if (m instanceof StatRequest st) {
      return st.path();
    } else if (m instanceof HashRequest h) {
      return h.path();
    } else if (m instanceof GetRequest g) {
      return g.path();
    }
    return null;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        int number = connectionCount.incrementAndGet();
        var t = new Thread(() -> serve(s, number), "fake-conn-" + number);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** What the handshake decided for the rest of a connection. */
  private record Terms(int allowance, boolean holdOpen) {}

  private void serve(Socket s, int connection) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream raw = new BufferedOutputStream(s.getOutputStream(), 65536);
      var conn = new Conn(s, new FrameReader(in), new FrameWriter(raw), raw, connection);
      Terms terms = handshake(conn);
      if (terms == null) {
        return;
      }
      int answered = 0;
      for (Message m; (m = conn.reader.read()) != null; ) {
        if (answered++ == terms.allowance()) {
          conn.writer.write(ErrorMessage.of(ErrorCode.TOO_MANY_REQUESTS, "reconnect"));
          conn.writer.flush();
          return;
        }
        if (!answer(m, record(m, connection), conn)) {
          return;
        }
        if (in.available() == 0) {
          conn.writer.flush();
        }
      }
      conn.writer.flush();
      if (terms.holdOpen()) {
        awaitRelease();
      }
    } catch (IOException e) {
      // The client went away; nothing to do for a fake.
    } finally {
      sockets.remove(s);
    }
  }

  private record Conn(
      Socket socket, FrameReader reader, FrameWriter writer, OutputStream raw, int number) {}

  private Terms handshake(Conn c) throws IOException {
    Message hello = c.reader.read();
    if (!(hello instanceof Hello)) {
      return null;
    }
    Scripted s = record(hello, c.number());
    Fault fault = s == null ? null : s.fault();
    if (fault == Fault.NOT_LANFETCH) {
      c.raw.write(
          "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      c.raw.flush();
      return null;
    } else if (fault == Fault.BUSY || fault == Fault.REFUSE) {
      c.writer.write(
          fault == Fault.BUSY
              ? ErrorMessage.of(ErrorCode.BUSY, "too many connections")
              : ErrorMessage.of(s.code(), "refused by the fake"));
      c.writer.flush();
      return null;
    }
    c.writer.write(new Welcome(Wire.VERSION, 0, "fake/1"));
    c.writer.flush();
    return new Terms(
        fault == Fault.ALLOWANCE
            ? (int) Math.min(Integer.MAX_VALUE, s.amount())
            : Integer.MAX_VALUE,
        fault == Fault.HOLD_OPEN);
  }

  /** Answers one request; false if the connection must end. */
  private boolean answer(Message m, Scripted s, Conn c) throws IOException {
    if (m instanceof ListRequest l) {
      if (s != null && s.fault() == Fault.ENDLESS_LISTING) {
        endlessList(c.writer, s.name());
        return false;
      }
      if (s != null && s.fault() == Fault.BUSY_LISTING) {
        c.writer.write(
            ErrorMessage.of(
                ErrorCode.BUSY, "server is busy: too many listings at once; try later"));
        c.writer.flush();
        return false;
      }
      for (ListChunk chunk :
          ListChunk.split(listing(l.path(), l.recursive()), Wire.MAX_FRAME_SIZE)) {
        c.writer.write(chunk);
      }
    } else if (m instanceof StatRequest st) {
      File f = files.get(st.path());
      c.writer.write(
          f == null
              ? notFound(st.path())
              : new StatResult(new Entry(EntryKind.FILE, f.data().length, f.mtime(), st.path())));
    } else if (m instanceof HashRequest h) {
      File f = files.get(h.path());
      c.writer.write(
          f == null
              ? notFound(h.path())
              : new HashResult(f.data().length, f.mtime(), digest(f.data(), s != null)));
    } else if (m instanceof GetRequest g) {
      return get(g, s, c);
    }
    return true;
  }

  private boolean get(GetRequest g, Scripted s, Conn c) throws IOException {
    File f = files.get(g.path());
    if (f == null) {
      c.writer.write(notFound(g.path()));
      return true;
    }
    int size = f.data().length;
    if (g.offset() > size) {
      c.writer.write(ErrorMessage.of(ErrorCode.INVALID_RANGE, "offset beyond the end"));
      return true;
    }
    Fault fault = s == null ? null : s.fault();
    if (fault == Fault.HUGE_SIZE) {
      c.writer.write(new GetHeader(1L << 50, g.offset(), (1L << 50) - g.offset(), f.mtime()));
      c.writer.flush();
      c.socket
          .getInputStream()
          .transferTo(OutputStream.nullOutputStream()); // until the client gives up
      return false;
    }
    int from = (int) g.offset();
    int length = size - from;
    c.writer.write(new GetHeader(size, from, length, f.mtime()));
    if (fault == Fault.STALL_BODY && length > s.amount()) {
      c.raw.write(f.data(), from, (int) s.amount());
      c.raw.flush();
      awaitRelease();
      return false;
    } else if (fault == Fault.SHORT_BODY) {
      c.raw.write(f.data(), from, (int) Math.max(0, length - s.amount()));
      c.raw.flush();
      return false;
    }
    c.raw.write(f.data(), from, length);
    if (fault == Fault.LONG_BODY) {
      c.raw.write(new byte[(int) s.amount()]);
    }
    return true;
  }

  private void awaitRelease() {
    try {
      release.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void endlessList(FrameWriter writer, String name) throws IOException {
    var entry = new Entry(EntryKind.FILE, 1, 0, name);
    var chunk = ListChunk.split(Collections.nCopies(60_000, entry), Wire.MAX_FRAME_SIZE).get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < 1_000_000 && System.nanoTime() < deadline; i++) {
      writer.write(new ListChunk(chunk.entries(), false)); // until the client closes: a write fails
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
      entries.addAll(listingLies);
    }
    return entries;
  }

  private static byte[] digest(byte[] data, boolean wrong) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
      if (wrong) {
        d[0] ^= 1;
      }
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static ErrorMessage notFound(String name) {
    return ErrorMessage.of(ErrorCode.NOT_FOUND, "no such file: " + name);
  }

  @Override
  public void close() throws IOException {
    release.countDown();
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
