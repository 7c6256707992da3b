package lanfetch.server.net;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** A client spoke first in plain text (or not at all in TLS) to a server that requires TLS. */
final class PlainTextClientException extends SSLException {
  private final byte first;

  PlainTextClientException(byte first) {
    super(
        String.format(
            Locale.ROOT, "first byte 0x%02X is not a TLS handshake record (0x16)", first & 0xFF));
    this.first = first;
  }

  /** The byte the client sent first. */
  byte first() {
    return first;
  }
}
