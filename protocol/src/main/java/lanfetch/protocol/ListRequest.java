package lanfetch.protocol;

import java.util.Objects;

/**
 * Asks for the entries of a directory.
 *
 * @param path the directory, "" for the root
 * @param recursive whether to include every level below it
 */
public record ListRequest(String path, boolean recursive) implements Message.Request {
  public ListRequest {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public byte type() {
    return Wire.TYPE_LIST;
  }
}
