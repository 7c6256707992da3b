package lanfetch.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Answers HASH.
 *
 * @param size the size of the file that was hashed
 * @param modifiedMillis its modification time when hashing began
 * @param sha256 the 32-byte SHA-256 digest of the whole file
 */
public record HashResult(long size, long modifiedMillis, byte[] sha256) implements Message {
  public HashResult {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    if (sha256.length != Wire.SHA256_SIZE) {
      throw new IllegalArgumentException("digest of " + sha256.length + " bytes, expected 32");
    }
    sha256 = sha256.clone();
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  /** The digest as 64 lowercase hex digits. */
  public String hex() {
    return HexFormat.of().formatHex(sha256);
  }

  @Override
  public byte type() {
    return Wire.TYPE_HASH_RESULT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashResult h
        && h.size == size
        && h.modifiedMillis == modifiedMillis
        && Arrays.equals(h.sha256, sha256);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Long.hashCode(modifiedMillis) * 17 + Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "HashResult[size="
        + size
        + ", modifiedMillis="
        + modifiedMillis
        + ", sha256="
        + hex()
        + "]";
  }
}
