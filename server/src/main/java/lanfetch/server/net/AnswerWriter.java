package lanfetch.server.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.Message;
import lanfetch.server.files.AnswerSink;
import lanfetch.server.files.ConnectionLostException;
import lanfetch.server.http.HttpSink;

/**
 * Writes answers: frames, and file bytes after a GET_HEADER.
 *
 * <p>Small answers are gathered in a buffer and go out together, when it fills, before a large body
 * (sent zero-copy), or at {@link #flush()}: a client pipelining requests for small files then gets
 * many answers per write instead of a frame write and a sendfile each. Nothing reaches the client
 * until it is flushed, so the owner flushes at the end of each batch.
 *
 * <p>Sockets stay non-blocking (the event loop owns them), so a full send buffer makes a write
 * return 0. The writer then waits for OP_WRITE on a selector of its own, at most the send timeout
 * at a time: plain sockets have no write timeout, and this is what makes a client that asks for a
 * gigabyte and never reads lose its connection instead of pinning a worker. The selector is opened
 * only when needed and closed with the writer, so no descriptor outlives the answer.
 *
 * <p>A large body may hold the worker for {@link #BODY_HOLD} at most: when the socket is full after
 * that, the writer stops and keeps the rest as a {@link Rest}, which the event loop finishes as the
 * client reads ({@link SendingBody}). A client that reads a trickle then costs the server a worker
 * for a second, not for as long as it likes; one that keeps up is still served by its worker at
 * full speed until the hold runs out.
 */
final class AnswerWriter implements AnswerSink, HttpSink, AutoCloseable {
  /** Size of the gathering buffer, and of the copy buffer where sendfile cannot be used. */
  static final int BUFFER_SIZE = 64 * 1024;

  /** Bodies up to this size are read into the buffer: one pread beats a sendfile call. */
  static final int SMALL_BODY = 32 * 1024;

  private static final long TRANSFER_SLICE = 8L * 1024 * 1024;

  /** How long one body may keep its worker while the client does not keep up. */
  static final Duration BODY_HOLD = Duration.ofSeconds(1);

  /**
   * The part of a body left for the event loop.
   *
   * @param file open; whoever takes the rest closes it
   * @param leftover bytes already read from the file (before {@code position}) that the channel has
   *     not wholly taken, to be written first; null when none
   * @param sent bytes of the answer already out, header included
   */
  record Rest(
      FileChannel file,
      long position,
      long end,
      boolean zeroCopy,
      ByteBuffer leftover,
      long sent) {}

  private final WritableByteChannel out;
  private final int maxFrameSize;
  private final long sendTimeoutMillis;
  private final ByteBuffer pending;
  private Selector selector;
  private long bytesSent;

  /** When the body being sent must leave its worker if the socket is full; System.nanoTime(). */
  private long holdDeadline;

  private Rest rest;

  /** Where the current answer starts in {@link #pending}; -1 once part of it was written. */
  private int answerStart;

  /**
   * @param buffer the gathering buffer, empty; reused across answers
   */
  AnswerWriter(WritableByteChannel out, int maxFrameSize, Duration sendTimeout, ByteBuffer buffer) {
    this.out = out;
    this.maxFrameSize = maxFrameSize;
    this.sendTimeoutMillis = Math.max(1, sendTimeout.toMillis());
    this.pending = buffer.clear();
  }

  AnswerWriter(WritableByteChannel out, int maxFrameSize, Duration sendTimeout) {
    this(out, maxFrameSize, sendTimeout, ByteBuffer.allocate(BUFFER_SIZE));
  }

  @Override
  public void startAnswer() {
    bytesSent = 0;
    answerStart = pending.position();
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public void abandonAnswer() {
    if (answerStart >= 0) {
      pending.position(answerStart);
    }
  }

  /** Whether the connection is still open: the event loop closes it when it gives up on it. */
  @Override
  public boolean connected() {
    return out.isOpen();
  }

  @Override
  public void frame(Message message) throws IOException {
    bytes(FrameWriter.frame(message, maxFrameSize));
  }

  /** Puts out {@code frame} as it is: a frame, or an HTTP head or small HTTP body. */
  @Override
  public void bytes(byte[] frame) throws IOException {
    if (frame.length > pending.remaining()) {
      flush();
    }
    if (frame.length > pending.remaining()) {
      writeFully(ByteBuffer.wrap(frame));
    } else {
      pending.put(frame);
    }
    bytesSent += frame.length;
  }

  /** Writes everything buffered; waits at most the send timeout at a time for the client. */
  @Override
  public void flush() throws IOException {
    if (pending.position() == 0) {
      return;
    }
    pending.flip();
    try {
      writeFully(pending);
    } finally {
      pending.clear();
      answerStart = -1;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Bodies up to {@link #SMALL_BODY} are read into the buffer; larger ones go out with sendfile
   * when {@code zeroCopy} and the channel is a plain socket, else through the buffer, and are
   * handed over as a {@link Rest} once they held the worker for {@link #BODY_HOLD}.
   */
  @Override
  public boolean body(FileChannel file, long position, long length, boolean zeroCopy)
      throws IOException {
    if (length <= SMALL_BODY) {
      if (length > pending.remaining()) {
        flush();
      }
      gather(file, position, (int) length);
      return false;
    }
    flush();
    holdDeadline = System.nanoTime() + BODY_HOLD.toNanos();
    boolean sendfile = zeroCopy && out instanceof SocketChannel;
    return sendfile
        ? transfer(file, position, length, (SocketChannel) out)
        : copy(file, position, length, zeroCopy);
  }

  /** The rest of a body this writer stopped sending, once; null if it sent every body. */
  Rest takeRest() {
    Rest r = rest;
    rest = null;
    return r;
  }

  /** Reads a small body into the buffer, behind its header. */
  private void gather(FileChannel file, long position, int length) throws IOException {
    int end = pending.position() + length;
    int limit = pending.limit();
    pending.limit(end);
    try {
      long pos = position;
      while (pending.position() < end) {
        int n = file.read(pending, pos);
        if (n < 0) {
          throw shrank(position, length, pos);
        }
        pos += n;
      }
    } finally {
      pending.limit(limit);
    }
    bytesSent += length;
  }

  /**
   * Zero copy: the kernel moves file pages to the socket (sendfile on Linux).
   *
   * @return whether the rest was handed over
   */
  private boolean transfer(FileChannel file, long position, long length, SocketChannel socket)
      throws IOException {
    long end = position + length;
    long pos = position;
    while (pos < end) {
      long n = transferSlice(file, pos, Math.min(end - pos, TRANSFER_SLICE), socket);
      if (n > 0) {
        pos += n;
        bytesSent += n;
      } else if (file.size() <= pos) {
        throw shrank(position, length, pos);
      } else if (!awaitWritableWithinHold()) {
        rest = new Rest(file, pos, end, true, null, bytesSent);
        return true;
      }
    }
    return false;
  }

  /**
   * For file systems the kernel cannot send from (jimfs, zip), and for TLS: read and write.
   *
   * @return whether the rest was handed over
   */
  private boolean copy(FileChannel file, long position, long length, boolean zeroCopy)
      throws IOException {
    long end = position + length;
    long pos = position;
    answerStart = -1;
    while (pos < end) {
      int n = (int) Math.min(pending.capacity(), end - pos);
      gather(file, pos, n);
      pos += n;
      pending.flip();
      try {
        if (!writeWithinHold(pending)) {
          var leftover = ByteBuffer.allocate(pending.remaining()).put(pending).flip();
          rest = new Rest(file, pos, end, zeroCopy, leftover, bytesSent - leftover.remaining());
          return true;
        }
      } finally {
        pending.clear();
      }
    }
    return false;
  }

  /** Writes all of {@code buf} unless the hold runs out first with the socket full. */
  private boolean writeWithinHold(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (write(buf) == 0 && !awaitWritableWithinHold()) {
        return false;
      }
    }
    return true;
  }

  private static EOFException shrank(long position, long length, long reached) {
    return new EOFException(
        "file ended at byte "
            + reached
            + " while sending "
            + length
            + " bytes from "
            + position
            + ": it shrank during the transfer");
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    answerStart = -1;
    while (buf.hasRemaining()) {
      if (write(buf) == 0) {
        awaitWritable();
      }
    }
  }

  private int write(ByteBuffer buf) throws ConnectionLostException {
    try {
      return out.write(buf);
    } catch (IOException e) {
      throw new ConnectionLostException("client connection failed: " + e.getMessage(), e);
    }
  }

  /**
   * transferTo cannot say whether the file or the socket failed; the file was readable a moment ago
   * and the header is out, so either way the connection cannot continue.
   */
  private static long transferSlice(FileChannel file, long pos, long count, SocketChannel socket)
      throws ConnectionLostException {
    try {
      return file.transferTo(pos, count, socket);
    } catch (IOException e) {
      throw new ConnectionLostException("sending file bytes failed: " + e.getMessage(), e);
    }
  }

  private void awaitWritable() throws IOException {
    if (!awaitWritable(sendTimeoutMillis)) {
      throw new SendStalledException(sendTimeoutMillis);
    }
  }

  /**
   * Waits for the client while the body's hold lasts (and the send timeout, if sooner).
   *
   * @return false if the hold ran out with the socket still full: the rest goes to the loop
   * @throws SendStalledException if the send timeout ran out first
   */
  private boolean awaitWritableWithinHold() throws IOException {
    long holdMillis = Math.max(0, (holdDeadline - System.nanoTime()) / 1_000_000);
    boolean writable = holdMillis > 0 && awaitWritable(Math.min(holdMillis, sendTimeoutMillis));
    if (!out.isOpen()) {
      // The loop closed the connection under the worker (stopping): nothing to hand over.
      throw new ConnectionLostException("connection closed while sending");
    }
    if (!writable && holdMillis > sendTimeoutMillis) {
      throw new SendStalledException(sendTimeoutMillis);
    }
    return writable;
  }

  /**
   * @return false if the socket did not become writable within {@code millis}
   */
  private boolean awaitWritable(long millis) throws IOException {
    SocketChannel socket =
        out instanceof TlsChannel tls ? tls.socket() : out instanceof SocketChannel s ? s : null;
    if (socket == null) {
      return true;
    }
    if (selector == null) {
      selector = Selector.open();
      socket.register(selector, SelectionKey.OP_WRITE);
    }
    if (selector.select(millis) == 0) {
      return false;
    }
    selector.selectedKeys().clear();
    return true;
  }

  @Override
  public void close() throws IOException {
    if (selector != null) {
      selector.close();
    }
  }
}
