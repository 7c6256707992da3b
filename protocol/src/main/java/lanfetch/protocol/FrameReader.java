package lanfetch.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads frames from a stream and decodes them into messages.
 *
 * <pre>
 *   BEFORE (on the wire, 12 bytes)                AFTER
 *   +-------------+------+--------------------+    +---------------------------+
 *   | 00 00 00 08 | 0x12 | 00 05 "a.txt"      | -> | StatRequest[path=a.txt]   |
 *   +-------------+------+--------------------+    +---------------------------+
 *     length = 8    type   payload fields
 * </pre>
 *
 * <p>The length is checked against the maximum before any buffer is allocated. End of stream before
 * the first byte of a frame is a normal close ({@link #read} returns {@code null}); end of stream
 * anywhere inside a frame is an {@link EOFException}.
 *
 * <p>The reader consumes exactly the bytes of each frame and buffers nothing, so the raw body that
 * follows a {@link GetHeader} can be read from the same stream (see {@link #input()}).
 */
public final class FrameReader {
  private final InputStream in;
  private final int maxFrameSize;
  private final byte[] prefix = new byte[Wire.LENGTH_PREFIX_SIZE];

  public FrameReader(InputStream in) {
    this(in, Wire.MAX_FRAME_SIZE);
  }

  public FrameReader(InputStream in, int maxFrameSize) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Reads the next message.
   *
   * @return the message, or {@code null} if the stream ended cleanly between frames
   * @throws EOFException if the stream ended inside a frame
   * @throws FrameTooLargeException if the length prefix exceeds the maximum
   * @throws MalformedFrameException if the payload is not a valid message
   */
  public Message read() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    prefix[0] = (byte) first;
    int got = in.readNBytes(prefix, 1, 3);
    if (got < 3) {
      throw new EOFException(
          "stream ended inside a frame's length prefix after " + (1 + got) + " of 4 bytes");
    }
    int length = FrameDecoder.checkLength(prefix, maxFrameSize);
    byte[] payload = in.readNBytes(length);
    if (payload.length < length) {
      throw new EOFException(
          "stream ended inside a frame after " + payload.length + " of " + length + " bytes");
    }
    return MessageCodec.decode(payload);
  }

  /** The underlying stream, positioned just after the last frame read. */
  public InputStream input() {
    return in;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }
}
