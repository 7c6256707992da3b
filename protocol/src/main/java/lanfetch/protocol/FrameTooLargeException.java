package lanfetch.protocol;

/** A length prefix announced more bytes than the reader accepts; nothing was allocated. */
public final class FrameTooLargeException extends ProtocolException {
  private final long length;
  private final int maximum;

  public FrameTooLargeException(long length, int maximum) {
    super("frame length " + length + " exceeds maximum " + maximum);
    this.length = length;
    this.maximum = maximum;
  }

  public long length() {
    return length;
  }

  public int maximum() {
    return maximum;
  }
}
