package lanfetch.protocol;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The name of a server's TLS key, as users compare and pin it: {@code SHA256:} followed by the
 * unpadded standard Base64 of the SHA-256 digest of the key's DER SubjectPublicKeyInfo (the form
 * ssh prints for host keys). It names the key, not the certificate, so a server may re-issue its
 * self-signed certificate without clients noticing.
 */
public final class KeyFingerprint {
  private static final String PREFIX = "SHA256:";
  private static final Pattern FORM = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

  private KeyFingerprint() {}

  /** The fingerprint of a DER-encoded SubjectPublicKeyInfo ({@code PublicKey.getEncoded()}). */
  public static String of(byte[] subjectPublicKeyInfo) {
    byte[] digest = Sha256.of(subjectPublicKeyInfo);
    return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
  }

  /** Whether {@code text} has the form {@code SHA256:} + 43 Base64 characters. */
  public static boolean isWellFormed(String text) {
    return text != null && FORM.matcher(text).matches();
  }
}
