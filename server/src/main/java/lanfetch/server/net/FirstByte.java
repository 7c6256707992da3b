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
 * starts with its content type, 0x16 for the ClientHello; an HTTP/1.x request starts with its
 * method, a token of ASCII letters ('G' for GET). Under TLS the same test runs again on the first
 * decrypted byte.
 */
enum FirstByte {
  /** 0x00: a lanfetch frame's length prefix. */
  LANFETCH,
  /** 0x16: a TLS handshake record, the ClientHello. */
  TLS,
  /** 'A' to 'Z' or 'a' to 'z': an HTTP request's method. */
  HTTP,
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
    if (first == 0) {
      return LANFETCH;
    }
    return (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') ? HTTP : OTHER;
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
