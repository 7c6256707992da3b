package lanfetch.protocol;

import java.nio.ByteBuffer;

/**
 * Collects frames from bytes that arrive in arbitrary pieces, as a non-blocking socket hands them
 * over, and decodes each complete one. {@link FrameReader} is the blocking counterpart; both check
 * a length prefix with {@link #checkLength} before they allocate its payload, so a prefix of
 * 0xFFFFFFFF costs four bytes of memory, not four gigabytes.
 *
 * <pre>
 *   reads:    [00 00] [00 07 12 00 04 6E 6F] [70 65 | 00 00 ...]
 *              prefix  prefix + payload        payload | next frame
 *   messages: StatRequest[path=nope] once its 7th payload byte arrives; the rest of the
 *             third read stays in the buffer for the next call
 * </pre>
 *
 * <p>Not thread-safe: one decoder per connection, used by the thread that reads it.
 */
public final class FrameDecoder {
  private final int maxFrameSize;
  private final byte[] prefix = new byte[Wire.LENGTH_PREFIX_SIZE];
  private int prefixFilled;
  private byte[] payload;
  private int payloadFilled;

  /**
   * @param maxFrameSize the largest frame accepted, type byte included
   */
  public FrameDecoder(int maxFrameSize) {
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  /** Bytes held for the frame being assembled: what a connection costs beyond its socket. */
  public int buffered() {
    return payload == null ? 0 : payload.length;
  }

  /** Whether part of a frame has arrived and the rest has not. */
  public boolean inFrame() {
    return prefixFilled > 0;
  }

  /**
   * Consumes bytes from {@code in} up to the end of the next complete frame.
   *
   * @return the decoded message, or null once {@code in} is used up inside a frame or empty
   * @throws FrameTooLargeException if a length prefix exceeds the cap
   * @throws MalformedFrameException if a length is 0 or a payload is not a valid message
   */
  public Message next(ByteBuffer in) throws ProtocolException {
    while (prefixFilled < prefix.length) {
      if (!in.hasRemaining()) {
        return null;
      }
      prefix[prefixFilled++] = in.get();
      if (prefixFilled == prefix.length) {
        payload = new byte[checkLength(prefix, maxFrameSize)];
        payloadFilled = 0;
      }
    }
    int n = Math.min(in.remaining(), payload.length - payloadFilled);
    in.get(payload, payloadFilled, n);
    payloadFilled += n;
    if (payloadFilled < payload.length) {
      return null;
    }
    byte[] complete = payload;
    payload = null;
    prefixFilled = 0;
    return MessageCodec.decode(complete);
  }

  /**
   * The payload length a big-endian prefix announces, checked against the cap.
   *
   * @throws FrameTooLargeException if it exceeds {@code maxFrameSize}
   * @throws MalformedFrameException if it is 0: a frame holds at least its type byte
   */
  static int checkLength(byte[] prefix, int maxFrameSize) throws ProtocolException {
    long length =
        ((prefix[0] & 0xFFL) << 24)
            | ((prefix[1] & 0xFF) << 16)
            | ((prefix[2] & 0xFF) << 8)
            | (prefix[3] & 0xFF);
    if (length > maxFrameSize) {
      throw new FrameTooLargeException(length, maxFrameSize);
    }
    if (length == 0) {
      throw new MalformedFrameException("frame length 0: a frame holds at least its type byte");
    }
    return (int) length;
  }
}
