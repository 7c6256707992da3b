package lanfetch.client.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.function.LongConsumer;
import lanfetch.client.FileFailure;

/**
 * Reads the raw bytes that follow a GET_HEADER: exactly as many as announced, into a part file or
 * stdout, optionally through a digest; or reads and drops a body nobody keeps.
 */
public final class BodyReader {
  /** A body this short is read and dropped when its file fails; longer ones cost the connection. */
  public static final long DRAIN_MAX = 4L << 20;

  /** Where body bytes go. */
  public interface Sink {
    void write(byte[] bytes, int length) throws IOException;
  }

  /** Bodies with fewer bytes left than this after the buffered ones stay on the stream path. */
  private static final long DIRECT_MIN = 256 * 1024;

  private final InputStream in;
  private final DirectBody direct;
  private final byte[] buffer = new byte[256 * 1024];

  public BodyReader(InputStream in) {
    this(in, null);
  }

  /** A reader that takes large bodies from {@code direct} once {@code in} holds none buffered. */
  public BodyReader(InputStream in, DirectBody direct) {
    this.in = in;
    this.direct = direct;
  }

  /**
   * Copies exactly {@code length} bytes to the sink.
   *
   * @throws ShortBodyException if the stream ends first
   * @throws SinkException if the sink fails; the connection is still in step with what was read
   */
  public void copy(long length, Sink sink, MessageDigest digest, LongConsumer progress)
      throws IOException {
    for (long left = length; left > 0; ) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new ShortBodyException(length - left, length);
      }
      left -= n;
      try {
        sink.write(buffer, n);
      } catch (IOException e) {
        throw new SinkException(e, left);
      }
      if (digest != null) {
        digest.update(buffer, 0, n);
      }
      progress.accept(n);
    }
  }

  /**
   * Copies exactly {@code length} bytes to a file at its position: on plain TCP, the bytes the
   * frame stream already buffered through that stream, the rest straight from the socket.
   *
   * @throws ShortBodyException if the stream ends first
   * @throws SinkException if the file fails; the connection is still in step with what was read
   */
  public void copyToFile(long length, FileChannel file, MessageDigest digest, LongConsumer progress)
      throws IOException {
    long buffered = direct == null ? length : Math.min(length, direct.buffered());
    if (length - buffered < DIRECT_MIN) {
      copy(length, into(file), digest, progress);
      return;
    }
    try {
      copy(buffered, into(file), digest, progress);
    } catch (SinkException e) {
      throw new SinkException(e.local(), e.left() + length - buffered);
    }
    direct.copy(length - buffered, length, file, digest, progress);
  }

  /**
   * Reads and drops the last {@code left} bytes of a {@code length}-byte body, or gives up the
   * connection when that would take longer than reconnecting.
   *
   * @throws AbandonedBodyException carrying {@code ifAbandoned} when the rest is too long
   */
  public void drain(long left, long length, FileFailure ifAbandoned) throws IOException {
    if (left > DRAIN_MAX) {
      throw new AbandonedBodyException(ifAbandoned);
    }
    for (long done = 0; done < left; ) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left - done));
      if (n < 0) {
        throw new ShortBodyException(length - left + done, length);
      }
      done += n;
    }
  }

  /** A sink writing to a file channel at its position. */
  static Sink into(FileChannel channel) {
    return (bytes, length) -> {
      ByteBuffer bb = ByteBuffer.wrap(bytes, 0, length);
      while (bb.hasRemaining()) {
        channel.write(bb);
      }
    };
  }
}
