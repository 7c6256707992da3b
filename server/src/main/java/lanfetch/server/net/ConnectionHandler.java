package lanfetch.server.net;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameTooLargeException;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;
import lanfetch.server.AccessRecord;
import lanfetch.server.Durations;
import lanfetch.server.ServerConfig;
import lanfetch.server.http.HttpCall;
import lanfetch.server.http.HttpSession;
import lanfetch.server.security.FailureDelay;

/**
 * What the event loop does with the bytes of its connections: reads request frames without
 * blocking, hands complete requests to the worker pool one batch at a time per connection (so
 * answers go out in request order), holds back refusals, and closes with an ERROR the client can
 * read. It moves each {@link Connection} through its states; the loop only tells it which
 * connection is readable and when deadlines are due. Event-loop thread only, except where a method
 * says otherwise.
 *
 * <p>While a worker answers, the connection's read interest is off, which is also what keeps a
 * pipelining client from queueing unbounded work: at most {@link #MAX_QUEUED} requests are decoded
 * ahead, the rest of what was read waits undecoded.
 */
final class ConnectionHandler {
  /** Requests decoded ahead of the one being answered, per connection. */
  static final int MAX_QUEUED = 16;

  /**
   * How long a connection refused at accept may take to show its protocol (over TLS: from the end
   * of its handshake).
   */
  static final Duration FIRST_BYTE_WAIT = Duration.ofMillis(250);

  /** How long a connection that got a closing ERROR may take to close its side. */
  private static final long LINGER_NANOS = Duration.ofSeconds(2).toNanos();

  /** A TLS record: alert (0x15), version 3.3, length 2, fatal (2), protocol_version (70). */
  private static final byte[] TLS_ALERT_PROTOCOL_VERSION = {
    0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46
  };

  private final ServerConfig config;
  private final Executor workers;
  private final Executor hashers;
  private final Worker worker;

  /** Runs a task on the event-loop thread; workers hand connections back through it. */
  private final Executor loop;

  private final ConnectionLimits limits;
  private final Deadlines deadlines;
  private final FailureDelay failureDelay = new FailureDelay(System::nanoTime);
  private final Set<Connection> connections = new HashSet<>();
  private final ByteBuffer readBuffer;
  private boolean stopping;

  /** {@link #stopping}, for workers: they end a batch early when it is set. */
  private volatile boolean stopRequested;

  /**
   * @param workers answer GET, LIST and STAT
   * @param hashers answer HASH: a smaller pool of its own, so clients hashing big files (or asking
   *     and leaving) cannot take every worker from the others
   */
  ConnectionHandler(
      ServerConfig config,
      Executor workers,
      Executor hashers,
      Worker worker,
      Executor loop,
      ConnectionLimits limits,
      Deadlines deadlines) {
    this.config = config;
    this.workers = workers;
    this.hashers = hashers;
    this.worker = worker;
    this.loop = loop;
    this.limits = limits;
    this.deadlines = deadlines;
    // No client frame is longer; what a read brings beyond the queued requests is copied
    // into the connection, so this also bounds what a pipelining client parks on the heap.
    this.readBuffer = ByteBuffer.allocateDirect(Wire.MAX_CLIENT_FRAME + Wire.LENGTH_PREFIX_SIZE);
  }

  /** Takes charge of a connection the loop registered. */
  void add(Connection conn) {
    connections.add(conn);
    deadlines.schedule(conn.deadline());
  }

  boolean isEmpty() {
    return connections.isEmpty();
  }

  /** Sends every connection not answering SHUTTING_DOWN, and lets the others finish. */
  void beginStop() {
    stopping = true;
    stopRequested = true;
    for (Connection conn : new ArrayList<>(connections)) {
      if (conn.state() == Connection.State.LINGERING) {
        close(conn);
      } else {
        pump(conn);
      }
    }
  }

  /** Closes every connection, answers in flight included; workers log {@code why}. */
  void closeAll(String why) {
    for (Connection conn : new ArrayList<>(connections)) {
      conn.cut(why);
      if (conn.state() == Connection.State.SENDING) {
        abortBody(conn, why);
      } else {
        close(conn);
      }
    }
  }

  /** Acts on every deadline that has come at {@code now}, and schedules the others. */
  void expire(long now) {
    for (Connection conn : new ArrayList<>(connections)) {
      long d = conn.deadline();
      if (d == 0) {
        continue;
      }
      if (now - d >= 0) {
        timeOut(conn, now);
      } else {
        deadlines.schedule(d);
      }
    }
  }

  // ---- reading ----

  void read(Connection conn) {
    boolean lingering = conn.state() == Connection.State.LINGERING;
    int n;
    readBuffer.clear();
    try {
      n = lingering ? conn.socket.read(readBuffer) : conn.channel().read(readBuffer);
    } catch (PlainTextClientException e) {
      refusePlainText(conn, e);
      return;
    } catch (SSLException e) {
      config.log().warn(conn.client(), "TLS handshake or record failed: " + e.getMessage());
      close(conn);
      return;
    } catch (IOException e) {
      close(conn);
      return;
    }
    if (n < 0 && !lingering && conn.http() == null && conn.protocol.inFrame()) {
      config.log().warn(conn.client(), "connection closed in the middle of a request frame");
    }
    if (n < 0) {
      close(conn);
    } else if (!lingering) {
      readSome(conn, n);
    }
  }

  private void readSome(Connection conn, int n) {
    if (conn.state() == Connection.State.REFUSING) {
      if (conn.httpRefusal() == null) { // else held back; nothing is read meanwhile
        readRefused(conn, n);
      }
      return;
    }
    if (conn.state() == Connection.State.DETECTING && n > 0) {
      FirstByte first = FirstByte.of(readBuffer.get(0));
      if (config.tls().isEmpty() && first == FirstByte.TLS) {
        refuseTls(conn);
        return;
      }
      if (first == FirstByte.HTTP && config.http()) {
        var session =
            new HttpSession(
                config.accessToken().orElse(null),
                config.maxRequestsPerConnection(),
                config.clock());
        conn.speakHttp(session, idleDeadline());
      } else {
        conn.detected();
      }
    }
    decode(conn, readBuffer.flip());
    pump(conn);
  }

  /**
   * A connection refused at accept ({@link Connection#refusal()} held back) sent its first bytes,
   * or over TLS finished its handshake.
   */
  private void readRefused(Connection conn, int n) {
    boolean insideTls = conn.channel() instanceof TlsChannel;
    if (n > 0) {
      sendClosing(conn, refusal(insideTls, FirstByte.of(readBuffer.get(0)), conn.refusal()));
    } else if (conn.channel() instanceof TlsChannel tls && tls.established()) {
      // Nothing decrypted yet: from here the first byte gets the short wait a plain one gets.
      conn.refuseBy(deadlines.schedule(System.nanoTime() + FIRST_BYTE_WAIT.toNanos()));
    }
  }

  /**
   * Refuses a connection at accept without waiting for it (a flood of refusals): answered by the
   * bytes it already sent, if any, then closed. Over TLS no session exists to carry an answer: the
   * client sees its handshake end without one.
   *
   * @param tls whether the server speaks TLS
   */
  void refuseAtOnce(SocketChannel socket, boolean tls, ErrorMessage busy) {
    if (!tls) {
      FirstByte first = null;
      readBuffer.clear();
      try {
        if (socket.read(readBuffer) > 0) {
          first = FirstByte.of(readBuffer.get(0));
        }
        socket.write(refusal(false, first, busy));
        socket.shutdownOutput();
      } catch (IOException e) {
        // Gone already.
      }
    }
    closeQuietly(socket);
  }

  /**
   * What a connection refused at accept is told, in the protocol its first byte shows: {@code 503}
   * with {@code Retry-After} to an HTTP client, the TLS alert of {@link #refuseTls} to a TLS client
   * at a plain server, else (a lanfetch client, one that sent nothing, anything else) the {@code
   * busy} ERROR frame.
   *
   * @param insideTls whether the answer goes inside a TLS session, {@code first} decrypted
   * @param first what the first byte showed; null if none came
   */
  ByteBuffer refusal(boolean insideTls, FirstByte first, ErrorMessage busy) {
    if (first == FirstByte.TLS && !insideTls) {
      return ByteBuffer.wrap(TLS_ALERT_PROTOCOL_VERSION);
    }
    if (first == FirstByte.HTTP && config.http()) {
      return ByteBuffer.wrap(HttpSession.busy(busy.message(), now()));
    }
    return closingFrame(busy, config.maxFrameSize());
  }

  /** A plain-text client at a TLS server: one plain ERROR frame it can read, then close. */
  private void refusePlainText(Connection conn, PlainTextClientException e) {
    conn.speakPlain();
    if (config.http() && FirstByte.of(e.first()) == FirstByte.HTTP) {
      config.log().warn(conn.client(), "a plain HTTP client connected; this server requires TLS");
      sendClosing(conn, ByteBuffer.wrap(HttpSession.httpsRequired(config.clock().instant())));
      return;
    }
    String why = "this server requires TLS; connect with --tls";
    config
        .log()
        .warn(
            conn.client(), "TLS_REQUIRED: a plain-text client connected (" + e.getMessage() + ")");
    sendClosing(conn, ErrorMessage.of(ErrorCode.TLS_REQUIRED, why));
  }

  /**
   * A TLS client at a plain server: a fatal TLS alert (protocol_version), which its TLS stack
   * reports as a failed handshake, instead of an ERROR frame it would take for garbage.
   */
  private void refuseTls(Connection conn) {
    config.log().warn(conn.client(), "a TLS client connected; this server runs without --tls");
    sendClosing(conn, ByteBuffer.wrap(TLS_ALERT_PROTOCOL_VERSION));
  }

  /** Decodes up to {@link #MAX_QUEUED} messages from {@code in}; keeps the rest for later. */
  private void decode(Connection conn, ByteBuffer in) {
    if (conn.http() != null) {
      decodeHttp(conn, conn.http(), in);
      return;
    }
    var protocol = conn.protocol;
    boolean wasInFrame = protocol.inFrame();
    int before = conn.queue.size();
    while (in.hasRemaining() && conn.queue.size() < MAX_QUEUED && !protocol.failed()) {
      Inbound next = protocol.next(in);
      if (next != null) {
        conn.queue.add(next);
      }
    }
    conn.unread =
        in.hasRemaining() && !protocol.failed()
            ? ByteBuffer.allocate(in.remaining()).put(in).flip()
            : null;
    if (protocol.inFrame() && (!wasInFrame || conn.queue.size() > before)) {
      conn.frameStarted(deadlines.schedule(System.nanoTime() + config.requestTimeout().toNanos()));
    }
  }

  /** {@link #decode} for an HTTP client: the library's decoder, a few kilobytes at a time. */
  private void decodeHttp(Connection conn, HttpSession http, ByteBuffer in) {
    boolean wasInRequest = http.inRequest();
    int before = conn.queue.size();
    while (in.hasRemaining() && conn.queue.size() < MAX_QUEUED && !http.failed()) {
      http.receive(in, call -> conn.queue.add(new Inbound.Call(call)));
    }
    if (http.takeRightToken()) {
      failureDelay.succeeded(conn.address);
    }
    conn.unread =
        in.hasRemaining() && !http.failed()
            ? ByteBuffer.allocate(in.remaining()).put(in).flip()
            : null;
    if (http.inRequest() && (!wasInRequest || conn.queue.size() > before)) {
      conn.frameStarted(deadlines.schedule(System.nanoTime() + config.requestTimeout().toNanos()));
    }
  }

  // ---- answering ----

  /**
   * Whether the loop may act for {@code conn}: no worker has it, no refusal or close is under way.
   */
  private static boolean listening(Connection conn) {
    return switch (conn.state()) {
      case DETECTING, HANDSHAKING, READY -> true;
      case ANSWERING, SENDING, REFUSING, LINGERING, CLOSED -> false;
    };
  }

  /** Sends what can go out now: replies, the next request to a worker, or a closing error. */
  private void pump(Connection conn) {
    while (listening(conn)) {
      if (stopping && conn.http() != null) {
        stopHttp(conn, conn.http());
        return;
      }
      if (stopping) {
        sendClosing(conn, ErrorMessage.of(ErrorCode.SHUTTING_DOWN, "server is shutting down"));
        return;
      }
      Inbound next = conn.queue.poll();
      if (next == null && conn.unread != null) {
        decode(conn, conn.unread);
      } else if (next == null) {
        awaitRequest(conn);
        return;
      } else {
        take(conn, next);
      }
    }
  }

  /**
   * A stopping server closes an idle HTTP connection without a word, as HTTP servers close idle
   * keep-alive connections; a request under way or queued gets a 503.
   */
  private void stopHttp(Connection conn, HttpSession http) {
    if (conn.queue.isEmpty() && conn.unread == null && !http.inRequest()) {
      close(conn);
    } else {
      sendClosing(conn, ByteBuffer.wrap(http.shuttingDown()));
    }
  }

  private void take(Connection conn, Inbound next) {
    if (next instanceof Inbound.Call c && c.call().refused()) {
      refuseHttp(conn, c.call());
    } else if (next instanceof Inbound.Call c) {
      dispatch(conn, next);
    } else if (next instanceof Inbound.Reply r) {
      if (r.message() instanceof Welcome) {
        failureDelay.succeeded(conn.address);
        conn.ready(idleDeadline());
      }
      reply(conn, r.message());
    } else if (next instanceof Inbound.Work) {
      dispatch(conn, next);
    } else if (next instanceof Inbound.Fail f
        && f.error().errorCode().filter(c -> c == ErrorCode.UNAUTHORIZED).isPresent()) {
      holdBack(conn, f.error());
    } else if (next instanceof Inbound.Fail f) {
      config.log().warn(conn.client(), f.error().codeName() + ": " + f.error().message());
      sendClosing(conn, f.error());
    }
  }

  /**
   * An HTTP request refused on the loop: a malformed request, a missing token (at once), a wrong
   * token (held back like the lanfetch protocol's UNAUTHORIZED). The connection closes after it.
   */
  private void refuseHttp(Connection conn, HttpCall call) {
    config
        .log()
        .access(
            new AccessRecord(
                config.clock().instant(),
                conn.client(),
                call.method(),
                call.target(),
                Integer.toString(call.status()),
                call.refusal().length,
                Duration.ZERO,
                httpProtocol(conn)));
    if (call.wrongToken()) {
      Duration delay = failureDelay.failed(conn.address);
      config
          .log()
          .warn(
              conn.client(),
              call.problem()
                  + "; failure "
                  + failureDelay.failures(conn.address)
                  + " from this address, answering in "
                  + Durations.format(delay));
      conn.refusing(
          ByteBuffer.wrap(call.refusal()), deadlines.schedule(System.nanoTime() + delay.toNanos()));
      conn.key.interestOps(0);
      return;
    }
    if (call.problem() != null) {
      config.log().warn(conn.client(), call.problem());
    }
    sendClosing(conn, ByteBuffer.wrap(call.refusal()));
  }

  private Instant now() {
    return config.clock().instant();
  }

  private static String httpProtocol(Connection conn) {
    return conn.channel() instanceof TlsChannel ? AccessRecord.HTTPS : AccessRecord.HTTP;
  }

  private long idleDeadline() {
    return deadlines.schedule(System.nanoTime() + config.idleTimeout().toNanos());
  }

  /**
   * A wrong or missing token: the UNAUTHORIZED answer waits on the loop's timers, longer with every
   * failure from the address, so guessing is slow and no thread waits meanwhile.
   */
  private void holdBack(Connection conn, ErrorMessage error) {
    Duration delay = failureDelay.failed(conn.address);
    config
        .log()
        .warn(
            conn.client(),
            "UNAUTHORIZED: "
                + error.message()
                + "; failure "
                + failureDelay.failures(conn.address)
                + " from this address, answering in "
                + Durations.format(delay));
    conn.refusing(error, deadlines.schedule(System.nanoTime() + delay.toNanos()));
    conn.key.interestOps(0);
  }

  private void awaitRequest(Connection conn) {
    if (conn.http() != null && conn.http().failed()) {
      // The last answer said "Connection: close": nothing more is read.
      sendClosing(conn, ByteBuffer.allocate(0));
      return;
    }
    if (conn.state() == Connection.State.READY && !conn.inRequest()) {
      conn.ready(idleDeadline());
    }
    conn.key.interestOps(SelectionKey.OP_READ);
    if (conn.channel() instanceof TlsChannel tls && tls.hasBufferedInput()) {
      // Already off the socket, so no OP_READ will announce it.
      loop.execute(
          () -> {
            if (listening(conn)) {
              read(conn);
            }
          });
    }
  }

  private void reply(Connection conn, Message message) {
    try {
      var frame = ByteBuffer.wrap(FrameWriter.frame(message, config.maxFrameSize()));
      conn.channel().write(frame);
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
   * order and writes the answers together: one hand-off and one wakeup per batch, not per request.
   * A HASH goes alone to the hashing pool, so a batch never holds a worker for a hash.
   */
  private void dispatch(Connection conn, Inbound first) {
    boolean hash = first instanceof Inbound.Work w && w.request() instanceof HashRequest;
    var batch = new ArrayList<Inbound>();
    batch.add(first);
    while (!hash && sameBatch(first, conn.queue.peek())) {
      batch.add(conn.queue.poll());
    }
    conn.key.interestOps(0);
    try {
      (hash ? hashers : workers).execute(() -> answerAndHandBack(conn, batch));
    } catch (RejectedExecutionException e) {
      String message =
          "server is overloaded: every worker is busy and the queue is full;" + " try later";
      config.log().warn(conn.client(), "refused: " + message);
      if (conn.http() != null) {
        sendClosing(conn, ByteBuffer.wrap(conn.http().overloaded(message)));
      } else {
        sendClosing(conn, ErrorMessage.of(ErrorCode.BUSY, message));
      }
      return;
    }
    // The worker hands the connection back through the loop's task queue, so this runs first.
    conn.answering();
  }

  /**
   * Runs on a worker, which sees the connection as a {@link ConnectionHandle} only. Whatever
   * happens, the connection is handed back: a worker that died without doing so would leave it
   * answering, with no deadline, holding its slot forever.
   */
  /** Whether {@code next} joins a batch that starts with {@code first}. */
  private static boolean sameBatch(Inbound first, Inbound next) {
    if (first instanceof Inbound.Call) {
      return next instanceof Inbound.Call c && !c.call().refused();
    }
    return next instanceof Inbound.Work w && !(w.request() instanceof HashRequest);
  }

  private void answerAndHandBack(Connection conn, List<Inbound> batch) {
    Worker.Batch outcome = null;
    try {
      if (batch.get(0) instanceof Inbound.Call) {
        var calls = new ArrayList<HttpCall>(batch.size());
        batch.forEach(c -> calls.add(((Inbound.Call) c).call()));
        outcome = worker.answerHttp(conn, calls, httpProtocol(conn), () -> stopRequested);
      } else {
        var requests = new ArrayList<Message.Request>(batch.size());
        batch.forEach(w -> requests.add(((Inbound.Work) w).request()));
        outcome = worker.answer(conn, requests, () -> stopRequested);
      }
    } catch (OutOfMemoryError e) {
      // Limping on after it would answer some requests and fail others at random: the loop
      // fails with it, which closes every connection and stops the server with a non-zero exit.
      loop.execute(
          () -> {
            throw e;
          });
    } catch (Throwable e) {
      config.log().warn(conn.client(), "internal error while answering: " + e);
    } finally {
      // Closing: nothing of the batch is handed back to be answered again.
      Worker.Batch done = outcome != null ? outcome : new Worker.Batch(batch.size(), true);
      loop.execute(() -> answered(conn, batch, done));
    }
  }

  private void answered(Connection conn, List<Inbound> batch, Worker.Batch outcome) {
    if (conn.state() == Connection.State.CLOSED) {
      if (outcome.rest() != null) {
        // Cut while the worker still held the body: nobody else will close the file.
        config.log().access(outcome.rest().record(conn.client(), AccessRecord.ABORTED));
        config
            .log()
            .warn(
                conn.client(),
                conn.cutReason() != null ? conn.cutReason() : "connection closed while sending");
        outcome.rest().close();
      }
      return;
    }
    if (conn.inRequest()) {
      // The rest of that frame could not be read while a worker answered; its clock starts
      // now. Nowhere else: a dribbling client must not push its own deadline back.
      conn.frameStarted(deadlines.schedule(System.nanoTime() + config.requestTimeout().toNanos()));
    }
    if (outcome.closeConnection()) {
      close(conn, true);
      return;
    }
    if (outcome.endAfter()) {
      // The worker sent the closing ERROR (BUSY): what remains is to shut output and linger.
      conn.ready(idleDeadline());
      sendClosing(conn, ByteBuffer.allocate(0));
      return;
    }
    // Stopping or a handed-over body cut the batch short: the rest waits its turn again,
    // ahead of later requests.
    for (int i = batch.size() - 1; i >= outcome.answered(); i--) {
      conn.queue.addFirst(batch.get(i));
    }
    if (outcome.rest() != null) {
      conn.sending(outcome.rest(), stallDeadline());
      conn.key.interestOps(SelectionKey.OP_WRITE);
      return;
    }
    conn.ready(idleDeadline());
    pump(conn);
  }

  // ---- sending a body a worker handed over ----

  /** The socket of a connection in {@link Connection.State#SENDING} can take more bytes. */
  void write(Connection conn) {
    SendingBody body = conn.body();
    if (body == null) {
      return;
    }
    long before = body.sent();
    boolean done;
    try {
      done = body.send(conn.channel());
    } catch (IOException e) {
      abortBody(conn, "answer cut short: " + e.getMessage());
      return;
    }
    if (done) {
      config.log().access(body.record(conn.client(), AccessRecord.OK));
      conn.ready(idleDeadline());
      pump(conn);
    } else if (body.sent() != before) {
      conn.sent(stallDeadline());
    }
  }

  private long stallDeadline() {
    return deadlines.schedule(System.nanoTime() + config.sendTimeout().toNanos());
  }

  /** Logs the body's GET as cut short, for {@code why}, and resets the connection. */
  private void abortBody(Connection conn, String why) {
    config.log().access(conn.body().record(conn.client(), AccessRecord.ABORTED));
    config.log().warn(conn.client(), why);
    close(conn, true);
  }

  // ---- deadlines and closing ----

  private void timeOut(Connection conn, long now) {
    switch (conn.state()) {
      case LINGERING -> close(conn);
      case REFUSING -> {
        if (conn.httpRefusal() != null) {
          sendClosing(conn, conn.httpRefusal());
        } else if (conn.channel() instanceof TlsChannel tls && !tls.established()) {
          close(conn); // refused at accept, its handshake unfinished: no session to carry BUSY
        } else {
          sendClosing(conn, refusal(conn.channel() instanceof TlsChannel, null, conn.refusal()));
        }
      }
      case SENDING ->
          abortBody(
              conn,
              "client read nothing for "
                  + Durations.format(config.sendTimeout())
                  + " (send timeout)");
      default -> {
        if (conn.http() != null) {
          timeOutHttp(conn, conn.http());
          return;
        }
        String why =
            conn.handshakeExpired(now)
                ? "handshake not completed within " + Durations.format(config.handshakeTimeout())
                : conn.inRequest()
                    ? "request frame not completed within "
                        + Durations.format(config.requestTimeout())
                    : "no request for " + Durations.format(config.idleTimeout());
        config.log().warn(conn.client(), "TIMEOUT: " + why);
        sendClosing(conn, ErrorMessage.of(ErrorCode.TIMEOUT, why));
      }
    }
  }

  /**
   * An HTTP connection idle past its deadline closes without a word, as keep-alive connections do;
   * one whose request head did not arrive in time gets a 408 first.
   */
  private void timeOutHttp(Connection conn, HttpSession http) {
    if (!http.inRequest()) {
      close(conn);
      return;
    }
    String why = "request head not completed within " + Durations.format(config.requestTimeout());
    config.log().warn(conn.client(), "TIMEOUT: " + why);
    sendClosing(conn, ByteBuffer.wrap(http.requestTimeout(why)));
  }

  /**
   * Writes a closing ERROR without waiting, shuts output so the client sees it followed by end of
   * stream, and lingers reading until the client closes too: closing with unread input would send a
   * reset that can destroy the ERROR before the client reads it.
   */
  void sendClosing(Connection conn, ErrorMessage error) {
    sendClosing(conn, closingFrame(error, config.maxFrameSize()));
  }

  static ByteBuffer closingFrame(ErrorMessage error, int maxFrameSize) {
    try {
      return ByteBuffer.wrap(FrameWriter.frame(error, maxFrameSize));
    } catch (FrameTooLargeException e) {
      throw new IllegalStateException("an error message of ours outgrew the frame cap", e);
    }
  }

  private void sendClosing(Connection conn, ByteBuffer last) {
    if (!conn.sendLast(last)) {
      close(conn);
    } else if (conn.drainedToEnd(readBuffer) || stopping) {
      // Nothing unread, so closing sends no reset; a stopping server need not wait.
      close(conn);
    } else {
      conn.lingering(deadlines.schedule(System.nanoTime() + LINGER_NANOS));
      limits.lingering(conn);
      conn.key.interestOps(SelectionKey.OP_READ);
    }
  }

  void close(Connection conn) {
    close(conn, false);
  }

  /**
   * @param reset whether an answer was cut short, so the close must be a reset
   */
  private void close(Connection conn, boolean reset) {
    Connection.State was = conn.close(reset);
    if (was != null) {
      limits.closed(conn, was);
      connections.remove(conn);
    }
  }
}
