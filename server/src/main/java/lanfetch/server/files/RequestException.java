package lanfetch.server.files;

import java.util.Objects;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;

/** A request the server refuses; becomes one ERROR frame carrying the code and message. */
final class RequestException extends Exception {
  private final ErrorCode code;

  RequestException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
  }

  ErrorCode code() {
    return code;
  }

  ErrorMessage toMessage() {
    return ErrorMessage.of(code, getMessage());
  }
}
