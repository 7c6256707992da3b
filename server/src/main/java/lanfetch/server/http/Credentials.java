package lanfetch.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import lanfetch.server.security.AccessToken;

/**
 * The access token as HTTP carries it: {@code Authorization: Bearer TOKEN}, or HTTP Basic with any
 * user name and the token as the password, so that a browser asks for it once and remembers it.
 * Compared by {@link AccessToken#matches}, in constant time.
 */
enum Credentials {
  /** No Authorization header, or one in a scheme other than Bearer and Basic. */
  NONE,
  /** The right token. */
  RIGHT,
  /** A token, and a wrong one. */
  WRONG;

  static Credentials check(String authorization, AccessToken token) {
    byte[] presented = presented(authorization);
    if (presented == null) {
      return NONE;
    }
    return token.matches(presented) ? RIGHT : WRONG;
  }

  /** The token in {@code authorization}, or null if it carries none. */
  private static byte[] presented(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
    String rest = value.substring(space + 1).strip();
    if (scheme.equals("bearer")) {
      return rest.getBytes(StandardCharsets.UTF_8);
    }
    if (!scheme.equals("basic")) {
      return null;
    }
    String userAndPassword;
    try {
      userAndPassword = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new byte[0]; // credentials, but garbled: a wrong token
    }
    int colon = userAndPassword.indexOf(':');
    return userAndPassword.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
  }
}
