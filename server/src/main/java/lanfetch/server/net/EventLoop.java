package lanfetch.server.net;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.server.Addresses;
import lanfetch.server.ServerConfig;
import lanfetch.server.files.RequestHandler;

/**
 * The one thread that owns every connection. Each turn: select, run the tasks other threads queued,
 * handle the ready keys (accept, or read or write through the {@link ConnectionHandler}), and
 * expire deadlines. Accepting enforces the {@link ConnectionLimits}. An idle connection costs a few
 * kilobytes and no thread: the worker pool bounds work in progress, not connections.
 */
public final class EventLoop implements Runnable {
  private static final int ACCEPTS_PER_WAKEUP = 256;
  private static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);

  /** TLS buffers kept for reuse, of each size, at most: about 84 KB a pair. */
  private static final int MAX_KEPT_TLS_BUFFERS = 32;

  private final ServerConfig config;
  private final ServerSocketChannel server;
  private final String software;
  private final Selector selector;
  private final ConnectionLimits limits;
  private final Deadlines deadlines = new Deadlines();
  private final ConnectionHandler connections;

  /** The TLS connections' buffers; null without TLS. */
  private final TlsChannel.Buffers tlsBuffers;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** When accepting resumes after a failure to accept; 0 while accepting. */
  private long acceptResume;

  private boolean stopping;
  private boolean forced;
  private long graceDeadline;
  private volatile Throwable failure;

  /**
   * @param workers answer GET, LIST and STAT
   * @param hashers answer HASH: a smaller pool of its own, so clients hashing big files (or asking
   *     and leaving) cannot take every worker from the others
   */
  public EventLoop(
      ServerConfig config,
      ServerSocketChannel server,
      Executor workers,
      Executor hashers,
      RequestHandler handler,
      String software)
      throws IOException {
    this.config = config;
    this.server = server;
    this.software = software;
    this.selector = Selector.open();
    this.limits =
        new ConnectionLimits(
            config.maxConnections(), config.maxConnectionsPerAddress(), config.tls().isPresent());
    limits
        .heapBound()
        .ifPresent(
            n ->
                config
                    .log()
                    .warn(
                        null,
                        "with --tls this heap holds "
                            + n
                            + " connections, fewer than --max-connections "
                            + config.maxConnections()
                            + ": connections past "
                            + n
                            + " are refused (more heap raises it: -Xmx in LANFETCH_JAVA_OPTS)"));
    this.connections =
        new ConnectionHandler(
            config,
            workers,
            hashers,
            new Worker(config, handler),
            this::execute,
            limits,
            deadlines);
    // Every thread that moves bytes may hold a pair at once: the workers, the hashers, the loop.
    int keep = Math.min(config.threads() + 2, MAX_KEPT_TLS_BUFFERS);
    this.tlsBuffers =
        config.tls().map(tls -> new TlsChannel.Buffers(tls.newEngine(), keep)).orElse(null);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /** Connections currently counted against the limits. */
  public int openConnections() {
    return limits.open();
  }

  /** What ended the loop other than a stop, if anything did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
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
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      while (!done()) {
        selector.select(deadlines.millisToWait(System.nanoTime(), stopping ? graceDeadline : 0));
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
      try {
        closeEverything();
      } finally {
        // Even if closing failed too (out of memory again): the server must still stop.
        finished.countDown();
      }
    }
  }

  private boolean done() {
    runTasks();
    if (forced) {
      return true;
    }
    return stopping && (connections.isEmpty() || System.nanoTime() - graceDeadline >= 0);
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
        connections.read(conn);
      } else if (key.isWritable()) {
        connections.write(conn);
      }
    } catch (RuntimeException e) {
      // One connection's bug must not take the other thousand down with the loop.
      config.log().warn(conn.client(), "closing after an internal error: " + e);
      connections.close(conn);
    }
  }

  private void expire(long now) {
    if (!deadlines.due(now)) {
      return;
    }
    resumeAccepting(now);
    connections.expire(now);
  }

  // ---- accepting ----

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
   * Out of file descriptors (EMFILE) and the like: the pending connection stays in the backlog and
   * OP_ACCEPT would fire again at once, so stop accepting for a moment instead of spinning and
   * flooding the log.
   */
  private void pauseAccepting(IOException e) {
    config
        .log()
        .warn(
            null,
            "cannot accept connections for now: "
                + e.getMessage()
                + "; pausing accepts for "
                + ACCEPT_PAUSE.toMillis()
                + "ms");
    server.keyFor(selector).interestOps(0);
    acceptResume = deadlines.schedule(System.nanoTime() + ACCEPT_PAUSE.toNanos());
  }

  private void resumeAccepting(long now) {
    if (acceptResume != 0 && now - acceptResume >= 0 && !stopping) {
      acceptResume = 0;
      server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
    } else if (acceptResume != 0) {
      deadlines.schedule(acceptResume);
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
    String refusal = limits.refusal(address);
    if (refusal == null) {
      limits.admit(address);
      register(connection(ch, remote, true), SelectionKey.OP_READ);
      return;
    }
    String client = Addresses.format(remote);
    config.log().warn(client, "refused: " + refusal);
    var busy = ErrorMessage.of(ErrorCode.BUSY, refusal);
    if (!limits.lingerRefused()) {
      // A flood: nothing is built for it (a TLS handshake may hold 36 KB), no waiting.
      connections.refuseAtOnce(ch, config.tls().isPresent(), busy);
      return;
    }
    refuse(connection(ch, remote, false), busy);
  }

  private Connection connection(SocketChannel ch, InetSocketAddress remote, boolean counted) {
    var protocol =
        new ProtocolState(
            config.maxFrameSize(),
            software,
            config.maxRequestsPerConnection(),
            config.accessToken().orElse(null));
    ByteChannel io =
        config
            .tls()
            .<ByteChannel>map(tls -> new TlsChannel(ch, tls::newEngine, tlsBuffers))
            .orElse(ch);
    long handshakeDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
    return new Connection(
        ch,
        io,
        remote.getAddress(),
        Addresses.format(remote),
        protocol,
        counted,
        handshakeDeadline);
  }

  /**
   * Refuses a connection at accept in the protocol it speaks, which its first byte shows (over TLS,
   * the first decrypted byte, once the handshake is done); see {@link ConnectionHandler#refusal}.
   * It waits for that byte a short while at most, and lingers after the answer so the client reads
   * it instead of a reset. Only {@link ConnectionLimits#lingerRefused} so many wait at once.
   */
  private void refuse(Connection conn, ErrorMessage busy) {
    long until =
        conn.channel() instanceof TlsChannel
            ? conn.deadline() // the handshake's; then a short wait for the first byte
            : System.nanoTime() + ConnectionHandler.FIRST_BYTE_WAIT.toNanos();
    conn.refusing(busy, deadlines.schedule(until));
    register(conn, SelectionKey.OP_READ);
  }

  /** Registers {@code conn} for {@code ops} and hands it to the handler; false if it closed. */
  private boolean register(Connection conn, int ops) {
    connections.add(conn);
    try {
      conn.key = conn.socket.register(selector, ops, conn);
      return true;
    } catch (IOException e) {
      connections.close(conn);
      return false;
    }
  }

  // ---- stopping ----

  private void beginStop(Duration grace) {
    if (stopping) {
      return;
    }
    stopping = true;
    graceDeadline = System.nanoTime() + grace.toNanos();
    stopListening();
    connections.beginStop();
  }

  /**
   * Closes the listening socket now. A channel registered with a selector keeps its socket (and
   * keeps accepting into the backlog) until the registration is flushed by a select.
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
    connections.closeAll(
        failure != null
            ? "cut: the server failed"
            : forced
                ? "cut: the server was stopped at once"
                : "cut at the end of the grace period");
    closeQuietly(server);
    closeQuietly(selector);
  }
}
