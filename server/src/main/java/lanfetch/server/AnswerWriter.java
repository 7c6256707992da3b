package lanfetch.server;

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

/**
 * Writes one request's answer: frames, and file bytes after a GET_HEADER.
 *
 * <p>Sockets stay non-blocking (the event loop owns them), so a full send buffer makes a write
 * return 0. The writer then waits for OP_WRITE on a selector of its own, at most the send
 * timeout at a time: plain sockets have no write timeout, and this is what makes a client that
 * asks for a gigabyte and never reads lose its connection instead of pinning a worker. The
 * selector is opened only when needed and closed with the writer, so no descriptor outlives
 * the answer.
 */
final class AnswerWriter implements AutoCloseable {
  private static final int COPY_BUFFER = 64 * 1024;
  private static final long TRANSFER_SLICE = 8L * 1024 * 1024;

  private final WritableByteChannel out;
  private final int maxFrameSize;
  private final long sendTimeoutMillis;
  private Selector selector;
  private long bytesSent;

  AnswerWriter(WritableByteChannel out, int maxFrameSize, Duration sendTimeout) {
    this.out = out;
    this.maxFrameSize = maxFrameSize;
    this.sendTimeoutMillis = Math.max(1, sendTimeout.toMillis());
  }

  /** Bytes written so far, frames and file bytes together. */
  long bytesSent() {
    return bytesSent;
  }

  /** Whether the connection is still open: the event loop closes it when it gives up on it. */
  boolean connected() {
    return out.isOpen();
  }

  void frame(Message message) throws IOException {
    writeFully(ByteBuffer.wrap(FrameWriter.frame(message, maxFrameSize)));
  }

  /**
   * Sends exactly {@code length} bytes of {@code file} from {@code position}.
   *
   * @param zeroCopy whether the file lives on the default file system, whose channels the
   *     kernel can send from directly
   * @throws EOFException if the file ends early (it shrank after the header went out)
   */
  void body(FileChannel file, long position, long length, boolean zeroCopy) throws IOException {
    if (zeroCopy && out instanceof SocketChannel socket) {
      transfer(file, position, length, socket);
    } else {
      copy(file, position, length);
    }
  }

  /** Zero copy: the kernel moves file pages to the socket (sendfile on Linux). */
  private void transfer(FileChannel file, long position, long length, SocketChannel socket)
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
      } else {
        awaitWritable();
      }
    }
  }

  /** For file systems the kernel cannot send from (jimfs, zip): read and write. */
  private void copy(FileChannel file, long position, long length) throws IOException {
    var buf = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(1, length)));
    long end = position + length;
    long pos = position;
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = file.read(buf, pos);
      if (n < 0) {
        throw shrank(position, length, pos);
      }
      pos += n;
      writeFully(buf.flip());
    }
  }

  private static EOFException shrank(long position, long length, long reached) {
    return new EOFException("file ended at byte " + reached + " while sending " + length
        + " bytes from " + position + ": it shrank during the transfer");
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      int n = write(buf);
      bytesSent += n;
      if (n == 0) {
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
   * transferTo cannot say whether the file or the socket failed; the file was readable a
   * moment ago and the header is out, so either way the connection cannot continue.
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
    SocketChannel socket = out instanceof TlsChannel tls ? tls.socket()
        : out instanceof SocketChannel s ? s : null;
    if (socket == null) {
      return;
    }
    if (selector == null) {
      selector = Selector.open();
      socket.register(selector, SelectionKey.OP_WRITE);
    }
    if (selector.select(sendTimeoutMillis) == 0) {
      throw new SendStalledException(sendTimeoutMillis);
    }
    selector.selectedKeys().clear();
  }

  @Override
  public void close() throws IOException {
    if (selector != null) {
      selector.close();
    }
  }
}
