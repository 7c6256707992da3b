package lanfetch.protocol;

import java.util.Objects;

/**
 * Asks for the bytes of a file.
 *
 * @param path the file
 * @param offset first byte wanted, 0 for the whole file
 * @param length bytes wanted, or {@link Wire#LENGTH_TO_END} for everything from the offset
 */
public record GetRequest(String path, long offset, long length) implements Message.Request {
  public GetRequest {
    Objects.requireNonNull(path, "path");
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
    if (length < 0 && length != Wire.LENGTH_TO_END) {
      throw new IllegalArgumentException("negative length " + length);
    }
  }

  /** A GET for the whole file. */
  public static GetRequest whole(String path) {
    return new GetRequest(path, 0, Wire.LENGTH_TO_END);
  }

  /** A GET for everything from {@code offset} to the end. */
  public static GetRequest from(String path, long offset) {
    return new GetRequest(path, offset, Wire.LENGTH_TO_END);
  }

  @Override
  public byte type() {
    return Wire.TYPE_GET;
  }
}
