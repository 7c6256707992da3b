package lanfetch.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import lanfetch.protocol.Sha256;

/**
 * The shared secret clients must present in HELLO extension 0x01. Only its SHA-256 digest is kept,
 * and a presented token is compared digest to digest with {@link MessageDigest#isEqual}, whose
 * running time does not depend on where the bytes differ: a client learns nothing from how long a
 * refusal takes, and the digests are always the same length.
 */
public final class AccessToken {
  private final byte[] digest;

  private AccessToken(byte[] digest) {
    this.digest = digest;
  }

  /**
   * @throws IllegalArgumentException if the token is empty
   */
  public static AccessToken of(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the access token is empty");
    }
    return new AccessToken(Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code presented} (null when the client sent none) is this token. */
  public boolean matches(byte[] presented) {
    return presented != null && MessageDigest.isEqual(digest, Sha256.of(presented));
  }

  @Override
  public String toString() {
    return "AccessToken[redacted]";
  }
}
