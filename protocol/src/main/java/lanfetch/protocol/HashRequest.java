package lanfetch.protocol;

import java.util.Objects;

/** Asks for the SHA-256 digest of a whole file. */
public record HashRequest(String path) implements Message.Request {
  public HashRequest {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public byte type() {
    return Wire.TYPE_HASH;
  }
}
