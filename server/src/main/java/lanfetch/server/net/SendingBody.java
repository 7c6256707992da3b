package lanfetch.server.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import lanfetch.common.Closeables;
import lanfetch.server.AccessRecord;

/**
 * The rest of a file body that a worker handed to the event loop because the client was not keeping
 * up: the loop sends it as the socket takes it, on OP_WRITE, so a slow reader costs a file
 * descriptor and a little memory instead of a worker thread. Owns the file channel and closes it
 * when the body is done or the connection closes. Event-loop thread only once handed over.
 *
 * <p>Plain sockets keep zero copy (a non-blocking {@code transferTo}, which is sendfile on Linux);
 * TLS, and file systems the kernel cannot send from, go through a buffer allocated here, on the
 * first send, so a handed-over body that is never resumed costs no buffer.
 */
final class SendingBody {
  private static final int COPY_BUFFER = 64 * 1024;
  private static final long TRANSFER_SLICE = 8L * 1024 * 1024;

  // Fixed when the worker hands the body over.
  private final FileChannel file;
  private final long end;
  private final boolean zeroCopy;

  /** The access record of the GET, completed when the body ends. */
  private final Instant started;

  private final long startNanos;
  private final String request;
  private final String path;

  /** What the access log shows for a body sent whole: "OK", or the HTTP status. */
  private final String okStatus;

  private final String protocol;

  // Event-loop thread only.
  private long position;

  /** Answer bytes out so far, the header included. */
  private long sent;

  /** Bytes read from the file and maybe not yet taken by the channel; null before any copy. */
  private ByteBuffer copied;

  SendingBody(AnswerWriter.Rest rest, Instant started, long startNanos, String path) {
    this(rest, started, startNanos, "GET", path, AccessRecord.OK, AccessRecord.LANFETCH);
  }

  /** The rest of an HTTP answer's body; the access log shows {@code okStatus} when it completes. */
  SendingBody(
      AnswerWriter.Rest rest,
      Instant started,
      long startNanos,
      String request,
      String path,
      String okStatus,
      String protocol) {
    this.request = request;
    this.okStatus = okStatus;
    this.protocol = protocol;
    this.file = rest.file();
    this.position = rest.position();
    this.end = rest.end();
    this.zeroCopy = rest.zeroCopy();
    this.copied = rest.leftover();
    this.sent = rest.sent();
    this.started = started;
    this.startNanos = startNanos;
    this.path = path;
  }

  /**
   * Sends what {@code out} takes without waiting.
   *
   * @return whether the body is complete
   * @throws IOException if the client connection failed, or the file shrank
   */
  boolean send(ByteChannel out) throws IOException {
    if (zeroCopy && !pendingCopy() && out instanceof SocketChannel socket) {
      transfer(socket);
    } else {
      copy(out);
    }
    return position == end && !pendingCopy();
  }

  private void transfer(SocketChannel socket) throws IOException {
    while (position < end) {
      long n = file.transferTo(position, Math.min(end - position, TRANSFER_SLICE), socket);
      if (n == 0 && file.size() <= position) {
        throw shrank();
      }
      if (n == 0) {
        return;
      }
      position += n;
      sent += n;
    }
  }

  private void copy(ByteChannel out) throws IOException {
    while (pendingCopy() || position < end) {
      if (!pendingCopy()) {
        fill();
      }
      sent += out.write(copied);
      if (copied.hasRemaining()) {
        return;
      }
    }
  }

  private boolean pendingCopy() {
    return copied != null && copied.hasRemaining();
  }

  /** Reads the next part of the file into the copy buffer, allocated once per body. */
  private void fill() throws IOException {
    int n = (int) Math.min(COPY_BUFFER, end - position);
    if (copied == null || copied.capacity() < n) {
      copied = ByteBuffer.allocate(COPY_BUFFER);
    }
    copied.clear().limit(n);
    while (copied.hasRemaining()) {
      int read = file.read(copied, position);
      if (read < 0) {
        throw shrank();
      }
      position += read;
    }
    copied.flip();
  }

  private EOFException shrank() {
    return new EOFException(
        "file ended at byte "
            + position
            + " while sending to byte "
            + end
            + ": it shrank during the transfer");
  }

  /** Answer bytes out so far, the header included. */
  long sent() {
    return sent;
  }

  /** The GET's access-log line, now that its body ended with {@code status}. */
  AccessRecord record(String client, String status) {
    return new AccessRecord(
        started,
        client,
        request,
        path,
        status.equals(AccessRecord.OK) ? okStatus : status,
        sent,
        Duration.ofNanos(System.nanoTime() - startNanos),
        protocol);
  }

  /** Releases the file; the connection is done with the body. */
  void close() {
    Closeables.closeQuietly(file);
  }
}
