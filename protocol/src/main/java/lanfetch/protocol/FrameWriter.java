package lanfetch.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes messages as frames: a 4-byte big-endian length, then the payload from {@link
 * MessageCodec#encode}. Writes go to the given stream unflushed; callers that pipeline write
 * several frames and then {@link #flush()} once.
 */
public final class FrameWriter {
  private final OutputStream out;
  private final int maxFrameSize;

  public FrameWriter(OutputStream out) {
    this(out, Wire.MAX_FRAME_SIZE);
  }

  public FrameWriter(OutputStream out, int maxFrameSize) {
    this.out = Objects.requireNonNull(out, "out");
    this.maxFrameSize = maxFrameSize;
  }

  /** Encodes and writes one frame, without flushing. */
  public void write(Message message) throws IOException {
    out.write(frame(message, maxFrameSize));
  }

  public void flush() throws IOException {
    out.flush();
  }

  /**
   * The complete frame for a message, length prefix included.
   *
   * @throws FrameTooLargeException if the payload exceeds {@code maxFrameSize}
   */
  public static byte[] frame(Message message, int maxFrameSize) throws FrameTooLargeException {
    byte[] payload = MessageCodec.encode(message);
    if (payload.length > maxFrameSize) {
      throw new FrameTooLargeException(payload.length, maxFrameSize);
    }
    byte[] frame = new byte[Wire.LENGTH_PREFIX_SIZE + payload.length];
    int n = payload.length;
    frame[0] = (byte) (n >>> 24);
    frame[1] = (byte) (n >>> 16);
    frame[2] = (byte) (n >>> 8);
    frame[3] = (byte) n;
    System.arraycopy(payload, 0, frame, Wire.LENGTH_PREFIX_SIZE, n);
    return frame;
  }
}
