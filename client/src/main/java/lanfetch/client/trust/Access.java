package lanfetch.client.trust;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Wire;

/**
 * What a connection presents and checks beyond the plain protocol.
 *
 * @param token the access token to send in HELLO, or null for none
 * @param tls how to speak TLS and trust the server's key, or null for plain TCP
 */
public record Access(String token, TlsTrust tls) {
  public static final Access NONE = new Access(null, null);

  /** The HELLO to open with: the capabilities this client speaks, the token, if any, in 0x01. */
  public Hello hello() {
    if (token == null) {
      return new Hello(Wire.VERSION, Wire.CAPABILITIES, Map.of());
    }
    return new Hello(
        Wire.VERSION,
        Wire.CAPABILITIES,
        Map.of(Wire.EXT_TOKEN, token.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "Access[token=" + (token == null ? "none" : "redacted") + ", tls=" + (tls != null) + "]";
  }
}
