package lanfetch.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Supplier;
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
 *
 * <p>Memory: a TLS session's buffers are about 100 KB, and a server holds a thousand connections,
 * most of them idle. So the engine is made when the first byte arrives, and each buffer is taken
 * from the server's {@link Buffers} when bytes must go through it and given back as soon as it is
 * empty: an idle connection, or one that sent nothing, holds no buffer, while a large download
 * takes the same buffers again for every write instead of allocating them.
 */
final class TlsChannel implements ByteChannel {
  /** Records wrapped per socket write: fewer system calls for file bodies. */
  static final int RECORDS_PER_WRITE = 4;

  private final SocketChannel socket;
  private final Supplier<SSLEngine> engines;
  private final Buffers buffers;

  /** Made when the first byte arrives; null before. */
  private SSLEngine engine;

  /** Ciphertext read and not yet unwrapped; write mode. Null while empty. */
  private ByteBuffer netIn;

  /** Plaintext unwrapped and not yet handed out; write mode. Null while empty. */
  private ByteBuffer appIn;

  /** Ciphertext wrapped and not yet on the socket; read mode. Null while empty. */
  private ByteBuffer netOut;

  private boolean sniffed;
  private boolean starved;
  private boolean eof;

  /** The last read yielded plaintext; without that, buffered bytes are not worth a retry. */
  private boolean productive;

  /** Plaintext consumed into records still partly unsent. */
  private int pendingConsumed;

  /**
   * @param engines makes the server-side engine, once the client's first byte says TLS
   */
  TlsChannel(SocketChannel socket, Supplier<SSLEngine> engines, Buffers buffers) {
    this.socket = socket;
    this.engines = engines;
    this.buffers = buffers;
  }

  SocketChannel socket() {
    return socket;
  }

  /** Whether the TLS handshake has completed, so application data can flow. */
  boolean established() {
    return engine != null && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
  }

  /** Whether bytes already taken from the socket may yield plaintext without another read. */
  boolean hasBufferedInput() {
    return appIn != null || (netIn != null && !starved && productive);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      return readSome(dst);
    } finally {
      netIn = giveBackIfEmpty(netIn);
      appIn = giveBackIfEmpty(appIn);
    }
  }

  private int readSome(ByteBuffer dst) throws IOException {
    int total = drain(dst);
    if (!dst.hasRemaining()) {
      productive = true;
      return total;
    }
    if (netIn == null) {
      netIn = buffers.take(buffers.recordSize);
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
    return total == 0 && (eof || (engine != null && engine.isInboundDone())) ? -1 : total;
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
    engine = engines.get();
  }

  /** One unwrap, with whatever handshake work it calls for; false when no progress is possible. */
  private boolean unwrap() throws IOException {
    if (appIn == null) {
      appIn = buffers.take(buffers.recordSize);
    }
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
    if (appIn == null || appIn.position() == 0) {
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
    if (engine == null) {
      throw new SSLException("no TLS handshake yet");
    }
    takeNetOut();
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
      } while (src.hasRemaining() && netOut.remaining() >= buffers.recordSize);
    } finally {
      netOut.flip();
    }
  }

  private boolean wrapAndFlush(ByteBuffer src) throws IOException {
    takeNetOut();
    netOut.compact();
    try {
      engine.wrap(src, netOut);
    } finally {
      netOut.flip();
    }
    return flush();
  }

  /** An empty output buffer in read mode, unless one with unsent records is held. */
  private void takeNetOut() {
    if (netOut == null) {
      netOut = buffers.take(buffers.recordSize * RECORDS_PER_WRITE).flip();
    }
  }

  /** Writes buffered ciphertext; true once none is left, and the buffer given back. */
  private boolean flush() throws IOException {
    if (netOut == null) {
      return true;
    }
    while (netOut.hasRemaining()) {
      if (socket.write(netOut) == 0) {
        return false;
      }
    }
    buffers.giveBack(netOut);
    netOut = null;
    return true;
  }

  /** Gives {@code buffer} back if it holds nothing (write mode); returns what the field keeps. */
  private ByteBuffer giveBackIfEmpty(ByteBuffer buffer) {
    if (buffer == null || buffer.position() > 0) {
      return buffer;
    }
    buffers.giveBack(buffer);
    return null;
  }

  /** Sends close_notify (best effort, without waiting) and shuts the socket's output. */
  void shutdownOutput() throws IOException {
    if (engine == null) {
      // No byte came, so no session: nothing to close inside TLS.
      socket.shutdownOutput();
      return;
    }
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

  /**
   * The TLS buffers of a server's connections, lent to a connection while bytes go through them:
   * one record's worth to read into and to decrypt into, {@link #RECORDS_PER_WRITE} records' worth
   * to encrypt into. Buffers given back are kept for the next one to take, up to {@code keep} of
   * each size, which covers the threads moving bytes at once; past that they are left to the
   * garbage collector. Any thread.
   */
  static final class Buffers {
    /** Room for one record, encrypted or decrypted, as the session's first estimate has it. */
    final int recordSize;

    private final int keep;
    private final ArrayDeque<ByteBuffer> records = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> writes = new ArrayDeque<>();

    /**
     * @param probe an engine of the server's, to learn the sizes from
     * @param keep how many buffers of each size to keep for reuse
     */
    Buffers(SSLEngine probe, int keep) {
      var session = probe.getSession();
      this.recordSize = Math.max(session.getPacketBufferSize(), session.getApplicationBufferSize());
      this.keep = keep;
    }

    /** An empty buffer of {@code size} (write mode): {@link #recordSize} or a write's. */
    ByteBuffer take(int size) {
      var free = freeList(size);
      ByteBuffer b = null;
      if (free != null) {
        synchronized (this) {
          b = free.pollLast(); // the one given back last: warm in the cache
        }
      }
      return b != null ? b.clear() : ByteBuffer.allocate(size);
    }

    /** {@code b} is no longer used by whoever took it. */
    void giveBack(ByteBuffer b) {
      var free = freeList(b.capacity());
      if (free != null) {
        synchronized (this) {
          if (free.size() < keep) {
            free.addLast(b);
          }
        }
      }
    }

    /** The free list for {@code size}; null for a size of its own (a grown input buffer). */
    private ArrayDeque<ByteBuffer> freeList(int size) {
      return size == recordSize ? records : size == recordSize * RECORDS_PER_WRITE ? writes : null;
    }
  }
}
