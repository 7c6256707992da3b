package lanfetch.protocol;

import java.util.Optional;

/** Error codes carried by ERROR frames. Codes that close the connection say so. */
public enum ErrorCode {
  /** The frame could not be parsed or is not allowed here. */
  BAD_REQUEST(0x0001, true),
  /** The server speaks none of the versions the client offered. */
  UNSUPPORTED_VERSION(0x0002, true),
  /** No file or directory by that name. */
  NOT_FOUND(0x0003, false),
  /** The name exists but the server will not serve it (outside the root, hidden, a link). */
  FORBIDDEN(0x0004, false),
  /** The name is not a regular file (a directory, a FIFO, a device). */
  NOT_A_FILE(0x0005, false),
  /** LIST named something that is not a directory. */
  NOT_A_DIRECTORY(0x0006, false),
  /** The name breaks the naming rules (PROTOCOL.md, "Names"). */
  INVALID_NAME(0x0007, false),
  /** GET offset beyond the end of the file, or offset + length beyond it. */
  INVALID_RANGE(0x0008, false),
  /** The server is at its connection limit. */
  BUSY(0x0009, true),
  /** The access token is missing or wrong. */
  UNAUTHORIZED(0x000A, true),
  /** The connection used up its request allowance. */
  TOO_MANY_REQUESTS(0x000B, true),
  /** The client was too slow (handshake, idle or request deadline). */
  TIMEOUT(0x000C, true),
  /** The server is shutting down. */
  SHUTTING_DOWN(0x000D, true),
  /** The server speaks TLS only and the client began in plain text. */
  TLS_REQUIRED(0x000E, true),
  /** The server failed to read the file; the connection stays usable. */
  INTERNAL(0x00FF, false);

  private final int code;
  private final boolean closesConnection;

  ErrorCode(int code, boolean closesConnection) {
    this.code = code;
    this.closesConnection = closesConnection;
  }

  public int code() {
    return code;
  }

  /** Whether a server sending this code closes the connection after the frame. */
  public boolean closesConnection() {
    return closesConnection;
  }

  public static Optional<ErrorCode> fromCode(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
