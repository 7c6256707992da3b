package lanfetch.server.http;

/**
 * A request-target path that is refused before any name is looked up: a {@code .} or {@code ..}
 * segment, an encoded {@code /} or {@code \}, a control character, an invalid escape or invalid
 * UTF-8. The message says which, quoting the offending part as the client sent it.
 */
final class MalformedPathException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedPathException(String message) {
    super(message);
  }
}
