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
  private static final Set<ErrorCode> TRANSIENT =
      Set.of(
          ErrorCode.BUSY, ErrorCode.TIMEOUT, ErrorCode.SHUTTING_DOWN, ErrorCode.TOO_MANY_REQUESTS);

  /** Codes that refuse the whole session: retrying cannot help. */
  private static final Set<ErrorCode> REFUSING =
      Set.of(ErrorCode.UNAUTHORIZED, ErrorCode.UNSUPPORTED_VERSION);

  /** The server's message, made safe to print on one line. */
  public static String text(ErrorMessage e) {
    var sb = new StringBuilder();
    e.message()
        .codePoints()
        .forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
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
    return forFile(e, null);
  }

  /**
   * A per-file failure for the request of {@code name} (null if not known), saying what the
   * server's own message adds: which rule refused it, and, for a directory, how to fetch it.
   */
  public static FileFailure forFile(ErrorMessage e, String name) {
    ErrorCode known = e.errorCode().orElse(null);
    String rule = rule(e);
    String what =
        switch (known == null ? ErrorCode.INTERNAL : known) {
          case NOT_FOUND -> "not found on the server";
          case FORBIDDEN ->
              rule.isEmpty()
                  ? "refused by the server (forbidden)"
                  : "refused by the server: " + rule;
          case NOT_A_FILE ->
              rule.startsWith("is a directory") && name != null
                  ? directory(name)
                  : rule.startsWith(NOT_REGULAR)
                      ? NOT_REGULAR + " on the server" + rule.substring(NOT_REGULAR.length())
                      : rule.isEmpty() || rule.startsWith("is a directory")
                          ? NOT_REGULAR + " on the server"
                          : NOT_REGULAR + " on the server: " + rule;
          case NOT_A_DIRECTORY -> "not a directory on the server";
          case INVALID_NAME ->
              rule.isEmpty()
                  ? "refused by the server as an invalid name"
                  : "refused by the server as an invalid name: " + rule;
          default -> text(e);
        };
    return known == null
        ? FileFailure.unknownServerCode(e.codeName(), what)
        : new FileFailure(FailureCode.of(known), what);
  }

  private static final String NOT_REGULAR = "not a regular file";

  /** What to say of {@code name}, a directory asked for as a file. */
  public static String directory(String name) {
    return "is a directory: use -r " + shellWord(name);
  }

  /** The name as one shell word: as it is where that is safe, else in single quotes. */
  static String shellWord(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c)
          || c == '/'
          || c == '.'
          || c == '_'
          || c == '-'
          || c == '+')) {
        return "'" + name.replace("'", "'\\''") + "'";
      }
    }
    return name;
  }

  /**
   * The server's message without the name it ends with ({@code hidden name refused: "x"} says
   * {@code hidden name refused}), control characters replaced; empty when it said nothing.
   */
  private static String rule(ErrorMessage e) {
    String m = e.message().strip();
    int quote = m.indexOf(": \"");
    if (quote >= 0 && m.endsWith("\"")) {
      m = m.substring(0, quote);
    }
    var sb = new StringBuilder();
    m.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return sb.toString();
  }

  /** The run-level exception for an ERROR that ends the session. */
  public static RunException forSession(String server, ErrorMessage e) {
    if (refusesSession(e) || isTransient(e)) {
      return new RunException(
          ExitCodes.REFUSED, server + " refused the session: " + text(e), isTransient(e), null);
    }
    return new RunException(ExitCodes.PROTOCOL, server + " ended the session: " + text(e));
  }
}
