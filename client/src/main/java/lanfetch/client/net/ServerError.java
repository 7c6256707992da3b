package lanfetch.client.net;

import java.util.Set;
import lanfetch.client.ExitCodes;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;

/** What the client makes of an ERROR frame. */
public final class ServerError {
  private ServerError() {}

  /** Closing codes after which reconnecting may succeed. */
  private static final Set<ErrorCode> TRANSIENT = Set.of(ErrorCode.BUSY, ErrorCode.TIMEOUT,
      ErrorCode.SHUTTING_DOWN, ErrorCode.TOO_MANY_REQUESTS);
  /** Codes that refuse the whole session: retrying cannot help. */
  private static final Set<ErrorCode> REFUSING = Set.of(ErrorCode.UNAUTHORIZED,
      ErrorCode.UNSUPPORTED_VERSION);

  /** The server's message, made safe to print on one line. */
  public static String text(ErrorMessage e) {
    var sb = new StringBuilder();
    e.message().codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return "server says " + e.codeName() + ": " + sb;
  }

  public static boolean isTransient(ErrorMessage e) {
    return e.errorCode().map(TRANSIENT::contains).orElse(false);
  }

  public static boolean refusesSession(ErrorMessage e) {
    return e.errorCode().map(REFUSING::contains).orElse(false);
  }

  /** A per-file failure carrying the server's code, e.g. NOT_FOUND. */
  public static FileFailure forFile(ErrorMessage e) {
    ErrorCode known = e.errorCode().orElse(null);
    String what = switch (known == null ? ErrorCode.INTERNAL : known) {
      case NOT_FOUND -> "not found on the server";
      case FORBIDDEN -> "refused by the server (forbidden)";
      case NOT_A_FILE -> "not a regular file on the server";
      case NOT_A_DIRECTORY -> "not a directory on the server";
      case INVALID_NAME -> "refused by the server as an invalid name";
      default -> text(e);
    };
    return known == null ? FileFailure.unknownServerCode(e.codeName(), what)
        : new FileFailure(FailureCode.of(known), what);
  }

  /** The run-level exception for an ERROR that ends the session. */
  public static RunException forSession(String server, ErrorMessage e) {
    if (refusesSession(e) || isTransient(e)) {
      return new RunException(ExitCodes.REFUSED, server + " refused the session: " + text(e),
          isTransient(e), null);
    }
    return new RunException(ExitCodes.PROTOCOL, server + " ended the session: " + text(e));
  }
}
