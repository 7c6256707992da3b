package lanfetch.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * An ERROR frame: the answer to a request that failed, or the last frame before the server closes
 * the connection.
 *
 * @param code numeric error code; see {@link ErrorCode}, newer servers may send others
 * @param closing whether the server closes the connection after this frame
 * @param message human-readable, one line
 */
public record ErrorMessage(int code, boolean closing, String message) implements Message {
  public ErrorMessage {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("error code out of range: " + code);
    }
    Objects.requireNonNull(message, "message");
  }

  /** An error with the code's usual closing behaviour. */
  public static ErrorMessage of(ErrorCode code, String message) {
    return new ErrorMessage(code.code(), code.closesConnection(), message);
  }

  /** The code as an enum constant, empty for a code this version does not know. */
  public Optional<ErrorCode> errorCode() {
    return ErrorCode.fromCode(code);
  }

  /** The code's name, or its hex value when unknown: "NOT_FOUND", "0x1234". */
  public String codeName() {
    return errorCode().map(Enum::name).orElse(String.format("0x%04X", code));
  }

  @Override
  public byte type() {
    return Wire.TYPE_ERROR;
  }
}
