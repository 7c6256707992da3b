package lanfetch.protocol;

/** A frame arrived whole but its content is not a valid message. */
public class MalformedFrameException extends ProtocolException {
  public MalformedFrameException(String message) {
    super(message);
  }

  public MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
