package lanfetch.client;

import lanfetch.protocol.ErrorCode;

/**
 * Why one file could not be downloaded, as the stable word scripts see in {@code --json} ({@code
 * "error":"NOT_FOUND"}). Never rename a constant: its name is printed.
 *
 * <p>Each code knows whether the same request may succeed if made again in the same run. The
 * server's per-file codes keep the names of {@link ErrorCode}; {@link #of(ErrorCode)} maps one to
 * the other.
 */
public enum FailureCode {
  // ---- decided locally, before or after the transfer ----
  /** The destination exists and neither --overwrite nor --skip-existing was given. */
  EXISTS(false),
  /** Two names would land on the same local file. */
  NAME_CLASH(false),
  /** The name would land outside the output directory, or the local file system refuses it. */
  UNSAFE_NAME(false),
  /** The prefixed local name is longer than a local file name may be. */
  NAME_TOO_LONG(false),
  /** A glob matched no file on the server. */
  NO_MATCH(false),
  /** The local disk is full, or too full for the announced size. */
  NO_SPACE(false),
  /** Any other local file-system failure. */
  LOCAL_IO(false),
  /**
   * Another lanfetch holds the lock on this file's part: it is downloading the same destination.
   */
  IN_USE(false),

  // ---- the transfer went wrong: another attempt may succeed ----
  /** The connection ended inside a body. */
  SHORT_BODY(true),
  /** What followed a body was not a frame: the server sent more than it announced. */
  BAD_BODY(true),
  /** The bytes received do not have the server's SHA-256. */
  CHECKSUM_MISMATCH(true),
  /** The server's file changed while it was being fetched. */
  CHANGED(true),
  /** The connection could not be made, was lost or went silent. */
  CONNECTION(true),
  /** The server refused or ended the session (busy, shutting down, unauthorised). */
  REFUSED(true),
  /** The server broke the protocol. */
  PROTOCOL(true),

  // ---- the server's per-file answer: the names of lanfetch.protocol.ErrorCode ----
  BAD_REQUEST(false),
  UNSUPPORTED_VERSION(false),
  NOT_FOUND(false),
  FORBIDDEN(false),
  NOT_A_FILE(false),
  NOT_A_DIRECTORY(false),
  /** The name breaks the protocol's naming rules (checked locally, or said by the server). */
  INVALID_NAME(false),
  INVALID_RANGE(false),
  BUSY(false),
  UNAUTHORIZED(false),
  TOO_MANY_REQUESTS(false),
  TIMEOUT(false),
  SHUTTING_DOWN(false),
  TLS_REQUIRED(false),
  INTERNAL(false),
  /** A server code this client does not know; printed as the server's number, e.g. 0x0123. */
  UNKNOWN_SERVER_CODE(false);

  private final boolean mayPassOnRetry;

  FailureCode(boolean mayPassOnRetry) {
    this.mayPassOnRetry = mayPassOnRetry;
  }

  /**
   * Whether asking again in the same run may succeed: true for failures of the connection or of the
   * server's data, false for the file's existence, its name or the local disk.
   */
  public boolean mayPassOnRetry() {
    return mayPassOnRetry;
  }

  /** The client's code for a server's per-file error code. */
  public static FailureCode of(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> BAD_REQUEST;
      case UNSUPPORTED_VERSION -> UNSUPPORTED_VERSION;
      case NOT_FOUND -> NOT_FOUND;
      case FORBIDDEN -> FORBIDDEN;
      case NOT_A_FILE -> NOT_A_FILE;
      case NOT_A_DIRECTORY -> NOT_A_DIRECTORY;
      case INVALID_NAME -> INVALID_NAME;
      case INVALID_RANGE -> INVALID_RANGE;
      case BUSY -> BUSY;
      case UNAUTHORIZED -> UNAUTHORIZED;
      case TOO_MANY_REQUESTS -> TOO_MANY_REQUESTS;
      case TIMEOUT -> TIMEOUT;
      case SHUTTING_DOWN -> SHUTTING_DOWN;
      case TLS_REQUIRED -> TLS_REQUIRED;
      case INTERNAL -> INTERNAL;
    };
  }

  /**
   * The per-file code for a run that stopped with {@code exitCode}: what each file left over shows.
   */
  public static FailureCode forRunExit(int exitCode) {
    return switch (exitCode) {
      case ExitCodes.REFUSED -> REFUSED;
      case ExitCodes.PROTOCOL -> PROTOCOL;
      default -> CONNECTION;
    };
  }
}
