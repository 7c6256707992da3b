package lanfetch.client;

import java.io.IOException;

/**
 * Why one file could not be downloaded. {@link #code()} is the stable word scripts see in
 * {@code --json} ("NOT_FOUND", "EXISTS", ...); the message is the line a person reads.
 */
public final class FileFailure extends IOException {
  // Local codes; server refusals use the protocol's ErrorCode names.
  public static final String EXISTS = "EXISTS";
  public static final String NAME_CLASH = "NAME_CLASH";
  public static final String UNSAFE_NAME = "UNSAFE_NAME";
  public static final String NAME_TOO_LONG = "NAME_TOO_LONG";
  public static final String NO_MATCH = "NO_MATCH";
  public static final String NO_SPACE = "NO_SPACE";
  public static final String LOCAL_IO = "LOCAL_IO";
  public static final String SHORT_BODY = "SHORT_BODY";
  public static final String BAD_BODY = "BAD_BODY";
  public static final String CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH";
  public static final String CHANGED = "CHANGED";
  public static final String CONNECTION = "CONNECTION";
  public static final String REFUSED = "REFUSED";
  public static final String PROTOCOL = "PROTOCOL";

  private final String code;

  public FileFailure(String code, String message) {
    super(message);
    this.code = code;
  }

  public FileFailure(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
