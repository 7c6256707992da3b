package lanfetch.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one digest of the protocol: HASH results, key fingerprints, token checks. */
public final class Sha256 {
  private Sha256() {}

  /** A fresh digest; every Java runtime has SHA-256, so this never fails. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The digest of {@code bytes}. */
  public static byte[] of(byte[] bytes) {
    return newDigest().digest(bytes);
  }

  /** A digest in lower-case hex, as PROTOCOL.md and {@code sha256sum} write it. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
