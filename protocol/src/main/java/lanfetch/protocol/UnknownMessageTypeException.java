package lanfetch.protocol;

/** A frame's type byte names no message of this protocol version. */
public final class UnknownMessageTypeException extends MalformedFrameException {
  private final int type;

  public UnknownMessageTypeException(int type) {
    super(String.format("unknown message type 0x%02X", type));
    this.type = type;
  }

  public int type() {
    return type;
  }
}
