package lanfetch.protocol;

import java.util.Objects;

/**
 * Asks for the SHA-256 digest of a whole file (HASH), or of {@code length} bytes of it from {@code
 * offset} (HASH_RANGE, only to a server whose WELCOME has {@link Wire#CAP_RANGE_HASH}).
 *
 * @param offset first byte hashed; 0 for a whole file
 * @param length bytes hashed, or {@link Wire#LENGTH_TO_END} for the whole file (HASH)
 */
public record HashRequest(String path, long offset, long length) implements Message.Request {
  public HashRequest {
    Objects.requireNonNull(path, "path");
    if (offset < 0 || length < Wire.LENGTH_TO_END || (length < 0 && offset != 0)) {
      throw new IllegalArgumentException("bad hash range " + offset + "+" + length);
    }
  }

  /** HASH: the whole file. */
  public HashRequest(String path) {
    this(path, 0, Wire.LENGTH_TO_END);
  }

  /** Whether this asks for a range (HASH_RANGE) rather than the whole file. */
  public boolean ranged() {
    return length != Wire.LENGTH_TO_END;
  }

  @Override
  public byte type() {
    return ranged() ? Wire.TYPE_HASH_RANGE : Wire.TYPE_HASH;
  }
}
