package lanfetch.client;

import java.io.IOException;
import java.util.Objects;

/**
 * Why one file could not be downloaded: a {@link FailureCode}, printed for scripts, and a message,
 * the line a person reads.
 */
public final class FileFailure extends IOException {
  private final FailureCode code;
  private final String codeName;

  public FileFailure(FailureCode code, String message) {
    this(code, code.name(), message, null);
  }

  public FileFailure(FailureCode code, String message, Throwable cause) {
    this(code, code.name(), message, cause);
  }

  private FileFailure(FailureCode code, String codeName, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.codeName = codeName;
  }

  /** A server error code this client does not know, shown as the server sent it ("0x0123"). */
  public static FileFailure unknownServerCode(String codeName, String message) {
    return new FileFailure(FailureCode.UNKNOWN_SERVER_CODE, codeName, message, null);
  }

  public FailureCode code() {
    return code;
  }

  /** The word scripts see: the code's name, or the server's number for an unknown code. */
  public String codeName() {
    return codeName;
  }
}
