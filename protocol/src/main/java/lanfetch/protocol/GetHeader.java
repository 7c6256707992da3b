package lanfetch.protocol;

/**
 * Answers GET. Exactly {@code length} raw bytes follow this frame on the connection.
 *
 * @param size the whole file's size
 * @param offset where the bytes that follow start in the file
 * @param length how many bytes follow
 * @param modifiedMillis the file's last modification, milliseconds since the epoch
 */
public record GetHeader(long size, long offset, long length, long modifiedMillis)
    implements Message {
  public GetHeader {
    if (size < 0 || offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "negative size, offset or length: " + size + ", " + offset + ", " + length);
    }
    if (offset > size || length > size - offset) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " outside a file of " + size + " bytes");
    }
  }

  @Override
  public byte type() {
    return Wire.TYPE_GET_HEADER;
  }
}
