package lanfetch.server.files;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import lanfetch.protocol.Message;

/**
 * Where the request handler puts its answers: frames, and file bytes after a GET_HEADER. This is
 * all the file side knows of a connection; the transport behind it (plain socket, TLS, a test's
 * byte array) is the network package's business.
 *
 * <p>One answer at a time, from one thread: {@link #startAnswer()}, then frames and bodies, then
 * either the next {@code startAnswer()} or {@link #abandonAnswer()} if it failed. Writes may be
 * buffered until {@link #flush()}. A write that fails because the client is gone or stopped reading
 * throws {@link ConnectionLostException}: nothing more can be sent.
 */
public interface AnswerSink {
  /** Starts the next answer: {@link #bytesSent()} counts from zero again. */
  void startAnswer();

  /**
   * Bytes of the current answer put out so far, frames and file bytes together, buffered or
   * written; nonzero means the client may already see part of it.
   */
  long bytesSent();

  /**
   * Drops what is still buffered of a failed answer, so that a flush sends only the complete
   * answers before it.
   */
  void abandonAnswer();

  /** Whether the connection is still open; a long computation checks it to stop early. */
  boolean connected();

  /** Puts out one frame. */
  void frame(Message message) throws IOException;

  /** Sends everything buffered so far; hashing a large file flushes the answers before it. */
  void flush() throws IOException;

  /**
   * Sends exactly {@code length} bytes of {@code file} from {@code position}, or starts to and
   * takes the file over to send the rest later, when the client reads too slowly to be worth a
   * thread: the transport then closes {@code file} when it is done with it, and the answer must be
   * the last one written until then.
   *
   * @param zeroCopy whether the file lives on the default file system, whose channels the kernel
   *     can send from directly
   * @return whether the sink took {@code file} over; if so the caller must not close it
   * @throws EOFException if the file ends early (it shrank after the header went out)
   */
  boolean body(FileChannel file, long position, long length, boolean zeroCopy) throws IOException;
}
