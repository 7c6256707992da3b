package lanfetch.server;

import java.nio.ByteBuffer;
import lanfetch.protocol.FrameTooLargeException;
import lanfetch.protocol.MalformedFrameException;
import lanfetch.protocol.Message;
import lanfetch.protocol.MessageCodec;
import lanfetch.protocol.ProtocolException;
import lanfetch.protocol.Wire;

/**
 * Collects frames from bytes that arrive in arbitrary pieces, as a non-blocking socket hands
 * them over. The length prefix is checked against the cap before the payload buffer is
 * allocated, so a prefix of 0xFFFFFFFF costs four bytes of memory, not four gigabytes.
 *
 * <p>The cap for frames from a client is {@link #MAX_CLIENT_FRAME}, however large the frames
 * the server sends may be: the buffer is allocated as soon as a prefix arrives, and a thousand
 * connections each announcing 64 KiB would otherwise pin 64 MB of heap for four bytes each.
 *
 * <pre>
 *   reads:  [00 00] [00 07 12 00 04 6E 6F] [70 65 | 00 00 ...]
 *            prefix  prefix + payload        payload | next frame
 *   frames: STAT "nope" once its 7th payload byte arrives; the rest stays for the next call
 * </pre>
 */
final class FrameAssembler {
  /**
   * The largest frame a client may send: room for any version 1 request with a name of the
   * longest valid length (4096 bytes), or a HELLO with extensions. PROTOCOL.md section 2.
   */
  static final int MAX_CLIENT_FRAME = ServerConfig.MIN_FRAME_SIZE;

  private final int maxFrameSize;
  private final byte[] prefix = new byte[Wire.LENGTH_PREFIX_SIZE];
  private int prefixFilled;
  private byte[] payload;
  private int payloadFilled;

  /** @param maxFrameSize the configured cap; above {@link #MAX_CLIENT_FRAME} it has no effect */
  FrameAssembler(int maxFrameSize) {
    this.maxFrameSize = Math.min(maxFrameSize, MAX_CLIENT_FRAME);
  }

  /** Bytes held for the frame being assembled: what a connection costs beyond its socket. */
  int buffered() {
    return payload == null ? 0 : payload.length;
  }

  /** Whether part of a frame has arrived and the rest has not. */
  boolean inFrame() {
    return prefixFilled > 0;
  }

  /**
   * Consumes bytes from {@code in} up to the end of the next complete frame.
   *
   * @return the decoded message, or null once {@code in} is used up inside a frame or empty
   * @throws FrameTooLargeException if a length prefix exceeds the cap
   * @throws MalformedFrameException if a length is 0 or a payload is not a valid message
   */
  Message next(ByteBuffer in) throws ProtocolException {
    while (prefixFilled < prefix.length) {
      if (!in.hasRemaining()) {
        return null;
      }
      prefix[prefixFilled++] = in.get();
      if (prefixFilled == prefix.length) {
        payload = new byte[checkedLength()];
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

  /** The same checks as {@link lanfetch.protocol.FrameReader}, which needs a blocking stream. */
  private int checkedLength() throws ProtocolException {
    long length = Integer.toUnsignedLong(ByteBuffer.wrap(prefix).getInt());
    if (length == 0) {
      throw new MalformedFrameException("frame length 0: a frame holds at least its type byte");
    }
    if (length > maxFrameSize) {
      throw new FrameTooLargeException(length, maxFrameSize);
    }
    return (int) length;
  }
}
