package lanfetch.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A non-blocking TLS connection over a socket the event loop owns, with the same contract as the
 * socket: {@link #read} and {@link #write} never wait and may return 0.
 *
 * <p>The event loop reads (and so drives the handshake); a worker writes an answer while the loop
 * leaves the connection alone. {@link #write} reports bytes as written only once their records are
 * wholly on the socket; a record that went out in part is finished by the next call, so the answer
 * writer's wait-for-OP_WRITE loop and send-stall deadline work unchanged.
 *
 * <p>The first byte tells TLS from a plain lanfetch client: a TLS handshake record starts with
 * 0x16, a lanfetch frame's length prefix with 0x00. Anything else fails with {@link
 * PlainTextClientException} before a byte is answered.
 */
final class TlsChannel implements ByteChannel {
  /** Records wrapped per socket write: fewer system calls for file bodies. */
  private static final int RECORDS_PER_WRITE = 4;

  private final SocketChannel socket;
  private final SSLEngine engine;

  /** Ciphertext read and not yet unwrapped; write mode. */
  private ByteBuffer netIn;

  /** Plaintext unwrapped and not yet handed out; write mode. */
  private final ByteBuffer appIn;

  /** Ciphertext wrapped and not yet on the socket; read mode. */
  private final ByteBuffer netOut;

  private boolean sniffed;
  private boolean starved;
  private boolean eof;

  /** The last read yielded plaintext; without that, buffered bytes are not worth a retry. */
  private boolean productive;

  /** Plaintext consumed into records still partly unsent. */
  private int pendingConsumed;

  TlsChannel(SocketChannel socket, SSLEngine engine) {
    this.socket = socket;
    this.engine = engine;
    var session = engine.getSession();
    this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    this.netOut = ByteBuffer.allocate(session.getPacketBufferSize() * RECORDS_PER_WRITE).flip();
  }

  SocketChannel socket() {
    return socket;
  }

  /** Whether the TLS handshake has completed, so application data can flow. */
  boolean established() {
    return sniffed && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
  }

  /** Whether bytes already taken from the socket may yield plaintext without another read. */
  boolean hasBufferedInput() {
    return appIn.position() > 0 || (netIn.position() > 0 && !starved && productive);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int total = drain(dst);
    if (!dst.hasRemaining()) {
      productive = true;
      return total;
    }
    if (!eof && netIn.hasRemaining() && socket.read(netIn) < 0) {
      eof = true;
    }
    sniff();
    while (dst.hasRemaining() && netIn.position() > 0 && unwrap()) {
      total += drain(dst);
    }
    total += drain(dst);
    productive = total > 0;
    return total == 0 && (eof || engine.isInboundDone()) ? -1 : total;
  }

  private void sniff() throws PlainTextClientException {
    if (sniffed || netIn.position() == 0) {
      return;
    }
    byte first = netIn.get(0);
    if (FirstByte.of(first) != FirstByte.TLS) {
      throw new PlainTextClientException(first);
    }
    sniffed = true;
  }

  /** One unwrap, with whatever handshake work it calls for; false when no progress is possible. */
  private boolean unwrap() throws IOException {
    netIn.flip();
    SSLEngineResult r;
    try {
      r = engine.unwrap(netIn, appIn);
    } finally {
      netIn.compact();
    }
    starved = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW;
    if (starved && !netIn.hasRemaining()) {
      grow();
    }
    handshake(r.getHandshakeStatus());
    return switch (r.getStatus()) {
      case OK -> r.bytesConsumed() > 0 || r.bytesProduced() > 0;
      case BUFFER_UNDERFLOW, BUFFER_OVERFLOW, CLOSED -> false;
    };
  }

  /** A record larger than the session's first estimate (the engine can raise it). */
  private void grow() {
    var bigger =
        ByteBuffer.allocate(
            Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize()));
    netIn.flip();
    netIn = bigger.put(netIn);
  }

  /**
   * Runs the engine's key-exchange tasks (a few milliseconds of CPU, once per connection) and sends
   * its handshake flights. A flight is a couple of kilobytes into a fresh socket's empty send
   * buffer; one that does not fit means a peer not reading its own handshake.
   */
  private void handshake(HandshakeStatus status) throws IOException {
    while (true) {
      switch (status) {
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        case NEED_WRAP -> {
          if (!wrapAndFlush(ByteBuffer.allocate(0))) {
            throw new SSLException("TLS handshake stalled: the client does not read");
          }
        }
        default -> {
          return;
        }
      }
      status = engine.getHandshakeStatus();
    }
  }

  private int drain(ByteBuffer dst) {
    if (appIn.position() == 0) {
      return 0;
    }
    appIn.flip();
    int n = Math.min(appIn.remaining(), dst.remaining());
    int limit = appIn.limit();
    appIn.limit(appIn.position() + n);
    dst.put(appIn);
    appIn.limit(limit);
    appIn.compact();
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (pendingConsumed > 0) {
      if (!flush()) {
        return 0;
      }
      int n = pendingConsumed;
      pendingConsumed = 0;
      src.position(src.position() + n);
      return n;
    }
    if (!flush()) {
      return 0;
    }
    int start = src.position();
    wrap(src);
    int consumed = src.position() - start;
    if (flush()) {
      return consumed;
    }
    src.position(start);
    pendingConsumed = consumed;
    return 0;
  }

  /** Wraps as many records of {@code src} as fit in the output buffer. */
  private void wrap(ByteBuffer src) throws IOException {
    netOut.compact();
    try {
      do {
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new SSLException("TLS connection already closed");
        }
        if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
          break;
        }
      } while (src.hasRemaining()
          && netOut.remaining() >= engine.getSession().getPacketBufferSize());
    } finally {
      netOut.flip();
    }
  }

  private boolean wrapAndFlush(ByteBuffer src) throws IOException {
    netOut.compact();
    try {
      engine.wrap(src, netOut);
    } finally {
      netOut.flip();
    }
    return flush();
  }

  /** Writes buffered ciphertext; true once none is left. */
  private boolean flush() throws IOException {
    while (netOut.hasRemaining()) {
      if (socket.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Sends close_notify (best effort, without waiting) and shuts the socket's output. */
  void shutdownOutput() throws IOException {
    engine.closeOutbound();
    try {
      wrapAndFlush(ByteBuffer.allocate(0));
    } catch (IOException e) {
      // The peer is gone or not reading: it will see the end of the stream instead.
    }
    socket.shutdownOutput();
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
