package lanfetch.client;

import java.io.IOException;

/**
 * Why one file could not be downloaded. {@link #code()} is the stable word scripts see in
 * {@code --json} ("NOT_FOUND", "EXISTS", ...); the message is the line a person reads.
 */
final class FileFailure extends IOException {
  // Local codes; server refusals use the protocol's ErrorCode names.
  static final String EXISTS = "EXISTS";
  static final String NAME_CLASH = "NAME_CLASH";
  static final String UNSAFE_NAME = "UNSAFE_NAME";
  static final String NAME_TOO_LONG = "NAME_TOO_LONG";
  static final String NO_MATCH = "NO_MATCH";
  static final String NO_SPACE = "NO_SPACE";
  static final String LOCAL_IO = "LOCAL_IO";
  static final String SHORT_BODY = "SHORT_BODY";
  static final String BAD_BODY = "BAD_BODY";
  static final String CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH";
  static final String CHANGED = "CHANGED";
  static final String CONNECTION = "CONNECTION";
  static final String REFUSED = "REFUSED";
  static final String PROTOCOL = "PROTOCOL";

  private final String code;

  FileFailure(String code, String message) {
    super(message);
    this.code = code;
  }

  FileFailure(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  String code() {
    return code;
  }
}
