package lanfetch.protocol;

import java.util.Objects;

/** Asks what one name is. */
public record StatRequest(String path) implements Message.Request {
  public StatRequest {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public byte type() {
    return Wire.TYPE_STAT;
  }
}
