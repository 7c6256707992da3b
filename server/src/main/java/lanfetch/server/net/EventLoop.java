package lanfetch.server.net;

import static lanfetch.server.Closeables.closeQuietly;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;
import lanfetch.server.Addresses;
import lanfetch.server.Durations;
import lanfetch.server.ServerConfig;
import lanfetch.server.files.RequestHandler;
import lanfetch.server.security.FailureDelay;

/**
 * The one thread that owns every connection. It accepts, reads request frames without
 * blocking, enforces the connection limits and every client-side deadline (handshake, idle,
 * whole request frame), and hands complete requests to the worker pool one at a time per
 * connection, so answers go out in request order. An idle connection costs a few kilobytes
 * and no thread: the pool bounds work in progress, not connections.
 *
 * <p>While a worker answers, the connection's read interest is off, which is also what keeps
 * a pipelining client from queueing unbounded work: at most {@link #MAX_QUEUED} requests are
 * decoded ahead, the rest of what was read waits undecoded.
 */
public final class EventLoop implements Runnable {
  /** Requests decoded ahead of the one being answered, per connection. */
  static final int MAX_QUEUED = 16;
  /** How long a connection that got a closing ERROR may take to close its side. */
  private static final long LINGER_NANOS = Duration.ofSeconds(2).toNanos();
  private static final int ACCEPTS_PER_WAKEUP = 256;
  /** Refused connections that may linger at once, however low the connection limit. */
  private static final int MIN_REJECTED_LINGERING = 256;
  private static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);
  /** A TLS record: alert (0x15), version 3.3, length 2, fatal (2), protocol_version (70). */
  private static final byte[] TLS_ALERT_PROTOCOL_VERSION = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46};

  private final ServerConfig config;
  private final ServerSocketChannel server;
  private final Executor workers;
  private final Executor hashers;
  private final Worker worker;
  private final String software;
  private final Selector selector;
  private final ByteBuffer readBuffer;
  private final Set<Connection> connections = new HashSet<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private final FailureDelay failureDelay = new FailureDelay(System::nanoTime);
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private int counted;
  private int rejectedLingering;
  private long nextCheck;
  private long acceptResume;
  private boolean stopping;
  private boolean forced;
  private long graceDeadline;
  private volatile int openConnections;
  /** {@link #stopping}, for workers: they end a batch early when it is set. */
  private volatile boolean stopRequested;
  private volatile Throwable failure;

  /**
   * @param workers answer GET, LIST and STAT
   * @param hashers answer HASH: a smaller pool of its own, so clients hashing big files (or
   *     asking and leaving) cannot take every worker from the others
   */
  public EventLoop(ServerConfig config, ServerSocketChannel server, Executor workers,
      Executor hashers, RequestHandler handler, String software) throws IOException {
    this.config = config;
    this.server = server;
    this.workers = workers;
    this.hashers = hashers;
    this.worker = new Worker(config, handler);
    this.software = software;
    this.selector = Selector.open();
    // No client frame is longer; what a read brings beyond the queued requests is copied
    // into the connection, so this also bounds what a pipelining client parks on the heap.
    this.readBuffer = ByteBuffer.allocateDirect(Wire.MAX_CLIENT_FRAME + Wire.LENGTH_PREFIX_SIZE);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /** Connections currently counted against the limits. */
  public int openConnections() {
    return openConnections;
  }

  /** What ended the loop other than a stop, if anything did. */
  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  /** Runs {@code task} on the loop thread. */
  public void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Stops accepting; connections close as their answers finish, all of them by the grace. */
  public void stop(Duration grace) {
    execute(() -> beginStop(grace));
  }

  /** Closes every connection now, answers in flight included. */
  public void stopNow() {
    execute(() -> forced = true);
  }

  /** Waits for the loop to end; every connection is closed by then. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      while (!done()) {
        selector.select(millisToWait());
        runTasks();
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        expire(System.nanoTime());
      }
    } catch (Throwable e) {
      // Out of memory included: the server must not carry on (or exit 0) without its loop.
      failure = e;
      config.log().warn(null, "event loop failed, closing every connection: " + e);
    } finally {
      closeEverything();
      finished.countDown();
    }
  }

  /** Until the next deadline or the end of the grace period; 0 blocks until woken. */
  private long millisToWait() {
    long now = System.nanoTime();
    long next = nextCheck;
    if (stopping && (next == 0 || graceDeadline - next < 0)) {
      next = graceDeadline;
    }
    return next == 0 ? 0 : Math.max(1, (next - now) / 1_000_000 + 1);
  }

  private boolean done() {
    runTasks();
    if (forced) {
      return true;
    }
    if (!stopping) {
      return false;
    }
    return connections.isEmpty() || System.nanoTime() - graceDeadline >= 0;
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    if (key.isAcceptable()) {
      acceptAll();
      return;
    }
    var conn = (Connection) key.attachment();
    try {
      if (key.isReadable()) {
        read(conn);
      }
    } catch (RuntimeException e) {
      // One connection's bug must not take the other thousand down with the loop.
      config.log().warn(conn.client, "closing after an internal error: " + e);
      close(conn);
    }
  }

  // ---- accepting and limits ----

  private void acceptAll() {
    for (int i = 0; i < ACCEPTS_PER_WAKEUP && !stopping; i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        pauseAccepting(e);
        return;
      }
      if (ch == null) {
        return;
      }
      admit(ch);
    }
  }

  /**
   * Out of file descriptors (EMFILE) and the like: the pending connection stays in the
   * backlog and OP_ACCEPT would fire again at once, so stop accepting for a moment instead of
   * spinning and flooding the log.
   */
  private void pauseAccepting(IOException e) {
    config.log().warn(null, "cannot accept connections for now: " + e.getMessage()
        + "; pausing accepts for " + ACCEPT_PAUSE.toMillis() + "ms");
    server.keyFor(selector).interestOps(0);
    acceptResume = schedule(System.nanoTime() + ACCEPT_PAUSE.toNanos());
  }

  private void resumeAccepting(long now) {
    if (acceptResume != 0 && now - acceptResume >= 0 && !stopping) {
      acceptResume = 0;
      server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
    } else if (acceptResume != 0) {
      schedule(acceptResume);
    }
  }

  private void admit(SocketChannel ch) {
    InetSocketAddress remote;
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      remote = (InetSocketAddress) ch.getRemoteAddress();
    } catch (IOException e) {
      closeQuietly(ch);
      return;
    }
    InetAddress address = remote.getAddress();
    String client = Addresses.format(remote);
    String refusal = refusal(address);
    var session = new ProtocolState(config.maxFrameSize(), software,
        config.maxRequestsPerConnection(), config.accessToken().orElse(null));
    var conn = new Connection(ch, address, client, session, refusal == null);
    config.tls().ifPresent(tls -> conn.io = new TlsChannel(ch, tls.newEngine()));
    if (refusal != null) {
      config.log().warn(client, "refused: " + refusal);
      rejectBusy(conn, refusal);
      return;
    }
    counted++;
    perAddress.merge(address, 1, Integer::sum);
    openConnections = counted;
    connections.add(conn);
    conn.handshakeDeadline = schedule(System.nanoTime() + config.handshakeTimeout().toNanos());
    try {
      conn.key = ch.register(selector, SelectionKey.OP_READ, conn);
    } catch (IOException e) {
      close(conn);
    }
  }

  private String refusal(InetAddress address) {
    if (counted >= config.maxConnections()) {
      return "server is at its limit of " + config.maxConnections() + " connections; try later";
    }
    if (perAddress.getOrDefault(address, 0) >= config.maxConnectionsPerAddress()) {
      return "too many connections from " + address.getHostAddress() + " (limit "
          + config.maxConnectionsPerAddress() + "); try later";
    }
    return null;
  }

  /** BUSY, then a short linger so the client reads it instead of a reset. */
  private void rejectBusy(Connection conn, String message) {
    boolean tls = conn.io instanceof TlsChannel;
    if (rejectedLingering >= Math.max(MIN_REJECTED_LINGERING, config.maxConnections())) {
      // A flood: no lingering, but the BUSY still goes out ahead of the close (over TLS
      // there is no session to carry it, so the client just sees the connection end).
      if (!tls) {
        writeClosing(conn.channel, closingFrame(ErrorMessage.of(ErrorCode.BUSY, message)));
      }
      closeQuietly(conn.channel);
      return;
    }
    rejectedLingering++;
    connections.add(conn);
    try {
      conn.key = conn.channel.register(selector, tls ? SelectionKey.OP_READ : 0, conn);
    } catch (IOException e) {
      close(conn);
      return;
    }
    if (tls) {
      // The BUSY can only travel inside TLS: it goes out once the handshake is done (read).
      conn.refusal = ErrorMessage.of(ErrorCode.BUSY, message);
      conn.refusalDeadline = schedule(System.nanoTime() + config.handshakeTimeout().toNanos());
      return;
    }
    sendClosing(conn, ErrorMessage.of(ErrorCode.BUSY, message));
  }

  // ---- reading ----

  private void read(Connection conn) {
    int n;
    readBuffer.clear();
    try {
      n = conn.lingering ? conn.channel.read(readBuffer) : conn.io.read(readBuffer);
    } catch (PlainTextClientException e) {
      refusePlainText(conn, e);
      return;
    } catch (javax.net.ssl.SSLException e) {
      config.log().warn(conn.client, "TLS handshake or record failed: " + e.getMessage());
      close(conn);
      return;
    } catch (IOException e) {
      close(conn);
      return;
    }
    if (conn.lingering) {
      if (n < 0) {
        close(conn);
      }
      return;
    }
    if (n < 0) {
      if (conn.session.inFrame()) {
        config.log().warn(conn.client, "connection closed in the middle of a request frame");
      }
      close(conn);
      return;
    }
    if (conn.refusal != null) {
      if (conn.io instanceof TlsChannel tls && tls.established()) {
        sendClosing(conn, conn.refusal);
      }
      return;
    }
    if (!conn.sniffed && n > 0) {
      conn.sniffed = true;
      if (config.tls().isEmpty() && readBuffer.get(0) == Wire.TLS_HANDSHAKE_RECORD) {
        refuseTls(conn);
        return;
      }
    }
    decode(conn, readBuffer.flip());
    pump(conn);
  }

  /** A plain-text client at a TLS server: one plain ERROR frame it can read, then close. */
  private void refusePlainText(Connection conn, PlainTextClientException e) {
    conn.io = conn.channel;
    String why = "this server requires TLS; connect with --tls";
    config.log().warn(conn.client, "TLS_REQUIRED: a plain-text client connected (" + e.getMessage() + ")");
    sendClosing(conn, ErrorMessage.of(ErrorCode.TLS_REQUIRED, why));
  }

  /**
   * A TLS client at a plain server: a fatal TLS alert (protocol_version), which its TLS stack
   * reports as a failed handshake, instead of an ERROR frame it would take for garbage.
   */
  private void refuseTls(Connection conn) {
    config.log().warn(conn.client, "a TLS client connected; this server runs without --tls");
    sendClosing(conn, ByteBuffer.wrap(TLS_ALERT_PROTOCOL_VERSION));
  }

  /** Decodes up to {@link #MAX_QUEUED} messages from {@code in}; keeps the rest for later. */
  private void decode(Connection conn, ByteBuffer in) {
    boolean wasInFrame = conn.session.inFrame();
    int before = conn.queue.size();
    while (in.hasRemaining() && conn.queue.size() < MAX_QUEUED && !conn.session.failed()) {
      Inbound next = conn.session.next(in);
      if (next != null) {
        conn.queue.add(next);
      }
    }
    if (in.hasRemaining() && !conn.session.failed()) {
      var rest = ByteBuffer.allocate(in.remaining()).put(in).flip();
      conn.unread = rest;
    } else {
      conn.unread = null;
    }
    if (conn.session.inFrame() && (!wasInFrame || conn.queue.size() > before)) {
      conn.frameDeadline = schedule(System.nanoTime() + config.requestTimeout().toNanos());
    }
  }

  // ---- answering ----

  /** Sends what can go out now: replies, the next request to a worker, or a closing error. */
  private void pump(Connection conn) {
    while (!conn.busy && !conn.closed && !conn.lingering && conn.refusal == null) {
      if (stopping) {
        sendClosing(conn, ErrorMessage.of(ErrorCode.SHUTTING_DOWN, "server is shutting down"));
        return;
      }
      Inbound next = conn.queue.poll();
      if (next == null && conn.unread != null) {
        decode(conn, conn.unread);
        continue;
      }
      if (next == null) {
        awaitRequest(conn);
        return;
      }
      if (next instanceof Inbound.Reply r) {
        if (r.message() instanceof Welcome) {
          failureDelay.succeeded(conn.address);
        }
        reply(conn, r.message());
      } else if (next instanceof Inbound.Work w) {
        dispatch(conn, w.request());
      } else if (next instanceof Inbound.Fail f && f.error().errorCode()
          .filter(c -> c == ErrorCode.UNAUTHORIZED).isPresent()) {
        holdBack(conn, f.error());
      } else if (next instanceof Inbound.Fail f) {
        config.log().warn(conn.client, f.error().codeName() + ": " + f.error().message());
        sendClosing(conn, f.error());
      }
    }
  }

  /**
   * A wrong or missing token: the UNAUTHORIZED answer waits on the loop's timers, longer with
   * every failure from the address, so guessing is slow and no thread waits meanwhile.
   */
  private void holdBack(Connection conn, ErrorMessage error) {
    Duration delay = failureDelay.failed(conn.address);
    config.log().warn(conn.client, "UNAUTHORIZED: " + error.message() + "; failure "
        + failureDelay.failures(conn.address) + " from this address, answering in "
        + Durations.format(delay));
    conn.queue.clear();
    conn.unread = null;
    conn.refusal = error;
    conn.refusalDeadline = schedule(System.nanoTime() + delay.toNanos());
    conn.key.interestOps(0);
  }

  private void awaitRequest(Connection conn) {
    if (!conn.session.inFrame()) {
      conn.idleDeadline = schedule(System.nanoTime() + config.idleTimeout().toNanos());
    }
    conn.key.interestOps(SelectionKey.OP_READ);
    if (conn.io instanceof TlsChannel tls && tls.hasBufferedInput()) {
      // Already off the socket, so no OP_READ will announce it.
      execute(() -> {
        if (!conn.closed && !conn.busy && !conn.lingering && conn.refusal == null) {
          read(conn);
        }
      });
    }
  }

  private void reply(Connection conn, Message message) {
    try {
      var frame = ByteBuffer.wrap(FrameWriter.frame(message, config.maxFrameSize()));
      conn.io.write(frame);
      if (frame.hasRemaining()) {
        // Nothing else was written yet, so a small reply always fits; a peer that
        // somehow refuses it is not worth a worker.
        close(conn);
      }
    } catch (IOException e) {
      close(conn);
    }
  }

  /**
   * Hands the request and the ones queued right behind it to one worker, which answers them in
   * order and writes the answers together: one hand-off and one wakeup per batch, not per
   * request. A HASH goes alone to the hashing pool, so a batch never holds a worker for a hash.
   */
  private void dispatch(Connection conn, Message.Request request) {
    boolean hash = request instanceof HashRequest;
    var batch = new ArrayList<Message.Request>();
    batch.add(request);
    while (!hash && conn.queue.peek() instanceof Inbound.Work w
        && !(w.request() instanceof HashRequest)) {
      conn.queue.poll();
      batch.add(w.request());
    }
    conn.busy = true;
    conn.key.interestOps(0);
    try {
      Executor pool = hash ? hashers : workers;
      pool.execute(() -> answerAndHandBack(conn, batch));
    } catch (RejectedExecutionException e) {
      conn.busy = false;
      String message = "server is overloaded: every worker is busy and the queue is full;"
          + " try later";
      config.log().warn(conn.client, "refused: " + message);
      sendClosing(conn, ErrorMessage.of(ErrorCode.BUSY, message));
    }
  }

  /**
   * Runs on a worker. Whatever happens, the connection is handed back: a worker that died
   * without doing so would leave it busy, with no deadline, holding its slot forever.
   */
  private void answerAndHandBack(Connection conn, List<Message.Request> batch) {
    Worker.Batch outcome = null;
    try {
      outcome = worker.answer(conn, batch, () -> stopRequested);
    } catch (Throwable e) {
      config.log().warn(conn.client, "internal error while answering: " + e);
    } finally {
      // Closing: nothing of the batch is handed back to be answered again.
      Worker.Batch done = outcome != null ? outcome : new Worker.Batch(batch.size(), true);
      execute(() -> answered(conn, batch, done));
    }
  }

  private void answered(Connection conn, List<Message.Request> batch, Worker.Batch outcome) {
    conn.busy = false;
    if (conn.closed) {
      return;
    }
    if (conn.session.inFrame()) {
      // The rest of that frame could not be read while a worker answered; its clock starts
      // now. Nowhere else: a dribbling client must not push its own deadline back.
      conn.frameDeadline = schedule(System.nanoTime() + config.requestTimeout().toNanos());
    }
    if (outcome.closeConnection()) {
      conn.aborted = true;
      close(conn);
      return;
    }
    // Stopping cut the batch short: the rest waits its turn again, ahead of later requests.
    for (int i = batch.size() - 1; i >= outcome.answered(); i--) {
      conn.queue.addFirst(new Inbound.Work(batch.get(i)));
    }
    pump(conn);
  }

  // ---- deadlines ----

  private long schedule(long deadline) {
    if (nextCheck == 0 || deadline - nextCheck < 0) {
      nextCheck = deadline;
    }
    return deadline;
  }

  private void expire(long now) {
    if (nextCheck == 0 || now - nextCheck < 0) {
      return;
    }
    nextCheck = 0;
    resumeAccepting(now);
    for (Connection conn : new ArrayList<>(connections)) {
      long d = conn.deadline();
      if (d == 0) {
        continue;
      }
      if (now - d >= 0) {
        timeOut(conn, now);
      } else {
        schedule(d);
      }
    }
  }

  private void timeOut(Connection conn, long now) {
    if (conn.lingering) {
      close(conn);
      return;
    }
    if (conn.refusal != null) {
      sendClosing(conn, conn.refusal);
      return;
    }
    String why;
    if (!conn.session.welcomed() && now - conn.handshakeDeadline >= 0) {
      why = "handshake not completed within " + Durations.format(config.handshakeTimeout());
    } else if (conn.session.inFrame()) {
      why = "request frame not completed within " + Durations.format(config.requestTimeout());
    } else {
      why = "no request for " + Durations.format(config.idleTimeout());
    }
    config.log().warn(conn.client, "TIMEOUT: " + why);
    sendClosing(conn, ErrorMessage.of(ErrorCode.TIMEOUT, why));
  }

  // ---- closing ----

  /**
   * Writes a closing ERROR without waiting, shuts output so the client sees it followed by
   * end of stream, and lingers reading until the client closes too: closing with unread input
   * would send a reset that can destroy the ERROR before the client reads it.
   */
  private void sendClosing(Connection conn, ErrorMessage error) {
    sendClosing(conn, closingFrame(error));
  }

  private ByteBuffer closingFrame(ErrorMessage error) {
    try {
      return ByteBuffer.wrap(FrameWriter.frame(error, config.maxFrameSize()));
    } catch (lanfetch.protocol.FrameTooLargeException e) {
      throw new IllegalStateException("an error message of ours outgrew the frame cap", e);
    }
  }

  private void sendClosing(Connection conn, ByteBuffer last) {
    conn.queue.clear();
    conn.unread = null;
    conn.refusal = null;
    if (!writeClosing(conn.io, last)) {
      close(conn);
      return;
    }
    if (conn.counted) {
      release(conn);
    }
    if (drainedToEnd(conn) || stopping) {
      // Nothing unread, so closing sends no reset; a stopping server need not wait.
      close(conn);
      return;
    }
    conn.lingering = true;
    conn.lingerDeadline = schedule(System.nanoTime() + LINGER_NANOS);
    conn.key.interestOps(SelectionKey.OP_READ);
  }

  /** Writes the frame without waiting and shuts output; false if the socket already failed. */
  private boolean writeClosing(java.nio.channels.ByteChannel io, ByteBuffer last) {
    try {
      io.write(last);
      if (io instanceof TlsChannel tls) {
        tls.shutdownOutput();
      } else {
        ((SocketChannel) io).shutdownOutput();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads and drops what the client already sent.
   *
   * @return whether its end of stream was reached, so the connection can close at once
   */
  private boolean drainedToEnd(Connection conn) {
    try {
      for (int i = 0; i < 16; i++) {
        readBuffer.clear();
        int n = conn.channel.read(readBuffer);
        if (n < 0) {
          return true;
        }
        if (n == 0) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Gives the connection's slot back, once: when it starts lingering or closes. */
  private void release(Connection conn) {
    if (conn.released) {
      return;
    }
    conn.released = true;
    if (conn.counted) {
      counted--;
      perAddress.computeIfPresent(conn.address, (a, n) -> n == 1 ? null : n - 1);
      openConnections = counted;
    } else {
      rejectedLingering--;
    }
  }

  private void close(Connection conn) {
    if (conn.closed) {
      return;
    }
    if (conn.busy || conn.aborted) {
      abort(conn.channel);
    } else if (conn.io instanceof TlsChannel tls && !conn.lingering) {
      closeNotify(tls);
    }
    release(conn);
    conn.closed = true;
    connections.remove(conn);
    if (conn.key != null) {
      conn.key.cancel();
    }
    closeQuietly(conn.channel);
  }

  /** A TLS client reads close_notify, not a truncation, when the server ends a session. */
  private static void closeNotify(TlsChannel tls) {
    try {
      tls.shutdownOutput();
    } catch (IOException e) {
      // The peer is already gone.
    }
  }

  /**
   * Makes the close a reset. A connection cut in the middle of an answer may have megabytes
   * queued for a client that reads nothing; a plain close would leave the kernel probing a
   * zero window with that data for minutes after the server let go.
   */
  private static void abort(SocketChannel ch) {
    try {
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException e) {
      // Already closed or reset: nothing left to abort.
    }
  }

  private void beginStop(Duration grace) {
    if (stopping) {
      return;
    }
    stopping = true;
    stopRequested = true;
    graceDeadline = System.nanoTime() + grace.toNanos();
    stopListening();
    for (Connection conn : new ArrayList<>(connections)) {
      if (conn.lingering) {
        close(conn);
      } else {
        pump(conn);
      }
    }
  }

  /**
   * Closes the listening socket now. A channel registered with a selector keeps its socket
   * (and keeps accepting into the backlog) until the registration is flushed by a select.
   */
  private void stopListening() {
    closeQuietly(server);
    try {
      selector.selectNow();
    } catch (IOException e) {
      // The close still completes at the loop's next select.
    }
  }

  private void closeEverything() {
    String why = failure != null ? "cut: the server failed"
        : forced ? "cut: the server was stopped at once"
        : "cut at the end of the grace period";
    for (Connection conn : new ArrayList<>(connections)) {
      conn.cutReason = why;
      close(conn);
    }
    closeQuietly(server);
    closeQuietly(selector);
  }
}
