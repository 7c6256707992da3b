package lanfetch.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import lanfetch.common.Closeables;
import lanfetch.protocol.ErrorMessage;
import lanfetch.server.http.HttpSession;

/**
 * One client connection and where it is in its life. Only the event-loop thread calls these
 * methods; a worker answering a request sees the connection through {@link ConnectionHandle} alone,
 * and only while it is {@link State#ANSWERING}.
 *
 * <pre>
 *   DETECTING ---first bytes---> HANDSHAKING ---WELCOME---> READY &lt;-------------+-----+
 *       |                             |                       | dispatch        |     |
 *       | refused at accept           | wrong token           v        answered |     | sent
 *       +-------> REFUSING &lt;----------+                   ANSWERING ------------+     |
 *                                                             | slow reader           |
 *                                                             +-----> SENDING --------+
 *
 *   DETECTING, HANDSHAKING, READY, REFUSING --closing ERROR--> LINGERING
 *   any state --close--> CLOSED  (from LINGERING: at the client's EOF, or its deadline)
 * </pre>
 *
 * <p>An HTTP client goes from HANDSHAKING to READY at once, on its first bytes: HTTP has no
 * handshake, and its token travels with every request, so a wrong one moves it from READY to
 * REFUSING. Its refusals are HTTP responses.
 *
 * <p>Each state has one deadline, set by the transition into it; see {@link State}. The one clock
 * that runs across states is the request-frame clock: it starts when a frame's first byte arrives
 * and applies while the decoder is inside that frame.
 */
final class Connection implements ConnectionHandle {
  /** Where a connection is in its life; each state names the deadline that applies in it. */
  enum State {
    /** Accepted; nothing read yet. Deadline: the handshake's. */
    DETECTING,
    /** Bytes arrived, no WELCOME yet. Deadline: the handshake's, or the frame's if sooner. */
    HANDSHAKING,
    /** Welcomed, waiting for a request. Deadline: idle, or the frame's inside a frame. */
    READY,
    /** A worker is writing answers. No deadline here: the worker has its send timeout. */
    ANSWERING,
    /**
     * The loop sends the rest of a body a worker handed over, as the socket takes it. Deadline: the
     * send timeout, from the last byte the client took.
     */
    SENDING,
    /**
     * A refusal is held back: a wrong token slowed down, or BUSY waiting for the first byte (and
     * for the TLS handshake before it) to show which protocol to say it in. Deadline: its.
     */
    REFUSING,
    /** A closing ERROR went out, output is shut; input is dropped until EOF. Deadline: linger. */
    LINGERING,
    /** Closed; no deadline. */
    CLOSED
  }

  /** The states each state may move to; any other move is a bug. */
  private static final Map<State, Set<State>> NEXT =
      new EnumMap<>(
          Map.of(
              State.DETECTING,
                  EnumSet.of(State.HANDSHAKING, State.REFUSING, State.LINGERING, State.CLOSED),
              State.HANDSHAKING,
                  EnumSet.of(State.READY, State.REFUSING, State.LINGERING, State.CLOSED),
              State.READY,
                  EnumSet.of(
                      State.READY, State.ANSWERING, State.REFUSING, State.LINGERING, State.CLOSED),
              State.ANSWERING, EnumSet.of(State.READY, State.SENDING, State.CLOSED),
              State.SENDING, EnumSet.of(State.READY, State.CLOSED),
              State.REFUSING, EnumSet.of(State.LINGERING, State.CLOSED),
              State.LINGERING, EnumSet.of(State.CLOSED),
              State.CLOSED, EnumSet.noneOf(State.class)));

  // Fixed at accept.
  final SocketChannel socket;
  final InetAddress address;

  /** "127.0.0.1:50412", for logs. */
  private final String client;

  final ProtocolState protocol;

  /** Whether this connection holds a slot in the connection limits (a refused one does not). */
  final boolean counted;

  // Written by the event-loop thread only.
  private State state = State.DETECTING;

  /** The current state's deadline in System.nanoTime() terms; 0 for none. */
  private long deadline;

  /** When the frame being received must be complete; applies only inside a frame. */
  private long frameDeadline;

  /** The body being sent in {@link State#SENDING}; null in every other state. */
  private SendingBody body;

  /** The refusal to send when {@link State#REFUSING} ends; null in every other state. */
  private ErrorMessage refusal;

  /** The HTTP side, once the first byte said HTTP; null for a lanfetch client. */
  private HttpSession http;

  /** An HTTP refusal to send when {@link State#REFUSING} ends, instead of {@link #refusal}. */
  private ByteBuffer httpRefusal;

  /** Where protocol bytes go: the socket itself, or a {@link TlsChannel} over it. */
  private ByteChannel io;

  SelectionKey key;

  /** Decoded requests and replies waiting their turn, in arrival order. */
  final ArrayDeque<Inbound> queue = new ArrayDeque<>();

  /** Bytes read but not yet decoded, because enough requests were already queued. */
  ByteBuffer unread;

  // Written by the event-loop thread, read by a worker.
  private volatile String cutReason;

  /**
   * A connection in {@link State#DETECTING}, its handshake deadline running.
   *
   * @param io the socket, or a TLS channel over it
   */
  Connection(
      SocketChannel socket,
      ByteChannel io,
      InetAddress address,
      String client,
      ProtocolState protocol,
      boolean counted,
      long handshakeDeadline) {
    this.socket = socket;
    this.io = io;
    this.address = address;
    this.client = client;
    this.protocol = protocol;
    this.counted = counted;
    this.deadline = handshakeDeadline;
  }

  State state() {
    return state;
  }

  @Override
  public ByteChannel channel() {
    return io;
  }

  @Override
  public String client() {
    return client;
  }

  @Override
  public String cutReason() {
    return cutReason;
  }

  /** The refusal held back; only in {@link State#REFUSING}. */
  ErrorMessage refusal() {
    return refusal;
  }

  /** The HTTP refusal held back, or null when the refusal is a lanfetch ERROR. */
  ByteBuffer httpRefusal() {
    return httpRefusal;
  }

  /** The HTTP side; null unless the client speaks HTTP. */
  HttpSession http() {
    return http;
  }

  /** Whether part of a request (a frame, an HTTP head) has arrived and the rest has not. */
  boolean inRequest() {
    return http != null ? http.inRequest() : protocol.inFrame();
  }

  /** The deadline that applies now, or 0 for none. */
  long deadline() {
    return switch (state) {
      case DETECTING, HANDSHAKING -> inRequest() ? sooner(deadline, frameDeadline) : deadline;
      case READY -> inRequest() ? frameDeadline : deadline;
      case REFUSING, LINGERING, SENDING -> deadline;
      case ANSWERING, CLOSED -> 0;
    };
  }

  /**
   * Whether the handshake deadline is what ran out at {@code now}: false once welcomed, or when it
   * was the request-frame clock.
   */
  boolean handshakeExpired(long now) {
    return (state == State.DETECTING || state == State.HANDSHAKING) && now - deadline >= 0;
  }

  private static long sooner(long a, long b) {
    return a - b < 0 ? a : b;
  }

  // ---- transitions: each sets the deadline of the state it enters ----

  /** The first bytes arrived and were taken for this server's protocol. */
  void detected() {
    move(State.HANDSHAKING);
  }

  /**
   * The first bytes were an HTTP request: HTTP has no handshake, so the connection is ready at
   * once, until {@code idleDeadline} unless a request head is under way.
   */
  void speakHttp(HttpSession session, long idleDeadline) {
    move(State.HANDSHAKING);
    http = session;
    ready(idleDeadline);
  }

  /**
   * Waiting for a request, until {@code idleDeadline}. From {@link State#HANDSHAKING} only once
   * welcomed.
   */
  void ready(long idleDeadline) {
    move(State.READY);
    deadline = idleDeadline;
    closeBody();
  }

  /** A worker takes over the channel; the loop reads nothing meanwhile. */
  void answering() {
    move(State.ANSWERING);
    deadline = 0;
  }

  /**
   * The loop sends the rest of {@code rest}; the client must take bytes by {@code stallDeadline}.
   */
  void sending(SendingBody rest, long stallDeadline) {
    move(State.SENDING);
    body = rest;
    deadline = stallDeadline;
  }

  /** The body in {@link State#SENDING}; null in every other state. */
  SendingBody body() {
    return body;
  }

  /** The client took bytes of the body: it has until {@code stallDeadline} for the next. */
  void sent(long stallDeadline) {
    deadline = stallDeadline;
  }

  /** Holds the HTTP {@code response} back until {@code until}, then sends it and closes. */
  void refusing(ByteBuffer response, long until) {
    refusing((ErrorMessage) null, until);
    httpRefusal = response;
  }

  /** Holds {@code error} back until {@code until}, then sends it and closes. */
  void refusing(ErrorMessage error, long until) {
    move(State.REFUSING);
    refusal = error;
    deadline = until;
    queue.clear();
    unread = null;
  }

  /** The refusal held back goes out at {@code until}, if that is sooner than planned. */
  void refuseBy(long until) {
    if (state != State.REFUSING) {
      throw new IllegalStateException("connection " + client + " refuses nothing in " + state);
    }
    if (until - deadline < 0) {
      deadline = until;
    }
  }

  /** The closing ERROR went out; input is read and dropped until EOF or {@code until}. */
  void lingering(long until) {
    move(State.LINGERING);
    refusal = null;
    httpRefusal = null;
    deadline = until;
  }

  /** The frame whose first byte just arrived must be complete by {@code deadline}. */
  void frameStarted(long deadline) {
    frameDeadline = deadline;
  }

  /** A plain-text client at a TLS server: the refusal goes out in plain text. */
  void speakPlain() {
    io = socket;
  }

  /** The server cuts the connection under a busy worker; the worker logs {@code why}. */
  void cut(String why) {
    cutReason = why;
  }

  private void move(State to) {
    if (!NEXT.get(state).contains(to)) {
      throw new IllegalStateException(
          "connection " + client + " cannot go from " + state + " to " + to);
    }
    state = to;
  }

  // ---- closing ----

  /**
   * Writes {@code last} without waiting and shuts output, so the client reads it followed by end of
   * stream; over TLS, close_notify follows it.
   *
   * @return false if the socket already failed
   */
  boolean sendLast(ByteBuffer last) {
    queue.clear();
    unread = null;
    try {
      io.write(last);
      shutdownOutput();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void shutdownOutput() throws IOException {
    if (io instanceof TlsChannel tls) {
      tls.shutdownOutput();
    } else {
      socket.shutdownOutput();
    }
  }

  /**
   * Reads and drops what the client already sent, into {@code scratch}.
   *
   * @return whether its end of stream was reached, so the connection can close at once
   */
  boolean drainedToEnd(ByteBuffer scratch) {
    try {
      for (int i = 0; i < 16; i++) {
        scratch.clear();
        int n = socket.read(scratch);
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

  /**
   * Closes the connection, with a reset if an answer was in flight or {@code reset} asks for one; a
   * TLS session not yet shut down sends close_notify first.
   *
   * @return the state it was in, or null if it was already closed
   */
  State close(boolean reset) {
    State was = state;
    if (was == State.CLOSED) {
      return null;
    }
    if (was == State.ANSWERING || was == State.SENDING || reset) {
      abort();
    } else if (io instanceof TlsChannel tls && was != State.LINGERING) {
      closeNotify(tls);
    }
    move(State.CLOSED);
    deadline = 0;
    closeBody();
    refusal = null;
    httpRefusal = null;
    if (http != null) {
      http.close();
    }
    if (key != null) {
      key.cancel();
    }
    Closeables.closeQuietly(socket);
    return was;
  }

  private void closeBody() {
    if (body != null) {
      body.close();
      body = null;
    }
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
   * Makes the close a reset. A connection cut in the middle of an answer may have megabytes queued
   * for a client that reads nothing; a plain close would leave the kernel probing a zero window
   * with that data for minutes after the server let go.
   */
  private void abort() {
    try {
      socket.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException e) {
      // Already closed or reset: nothing left to abort.
    }
  }
}
