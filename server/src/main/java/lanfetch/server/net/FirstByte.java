package lanfetch.server.net;

import java.nio.ByteBuffer;
import lanfetch.protocol.Wire;

/**
 * What a client's first byte says it speaks, before anything is decoded. A server that does not
 * speak what the client does answers in the client's own terms (a TLS alert to a TLS client, a
 * plain ERROR frame to a plain one) instead of garbage.
 *
 * <p>The outcomes cannot overlap: a lanfetch frame starts with its length prefix, whose first byte
 * is 0x00 for every client frame (at most {@value Wire#MAX_CLIENT_FRAME} bytes); a TLS record
 * starts with its content type, 0x16 for the ClientHello. A protocol added later gets its own
 * constant the same way (HTTP: an ASCII method letter, 'G' for GET).
 */
enum FirstByte {
  /** 0x00: a lanfetch frame's length prefix. */
  LANFETCH,
  /** 0x16: a TLS handshake record, the ClientHello. */
  TLS,
  /**
   * Anything else: no protocol this server speaks. A plain server lets the frame decoder say what
   * is wrong with it; a TLS server treats it as a plain-text client.
   */
  OTHER;

  /** Classifies {@code first}, the first byte a client sent. */
  static FirstByte of(byte first) {
    if (first == Wire.TLS_HANDSHAKE_RECORD) {
      return TLS;
    }
    return first == 0 ? LANFETCH : OTHER;
  }

  /**
   * Classifies the byte at {@code bytes}' position, without consuming it.
   *
   * @throws IllegalArgumentException if {@code bytes} has nothing remaining
   */
  static FirstByte of(ByteBuffer bytes) {
    if (!bytes.hasRemaining()) {
      throw new IllegalArgumentException("no byte to classify");
    }
    return of(bytes.get(bytes.position()));
  }
}
