package lanfetch.client;

import java.util.Objects;
import lanfetch.protocol.Wire;

/**
 * Where the server listens: {@code HOST}, {@code HOST:PORT}, {@code [IPv6]} or {@code [IPv6]:PORT}.
 * A bare IPv6 address without brackets ({@code ::1}) is taken whole, with the default port, since
 * its colons cannot be told from a port separator.
 */
public record ServerAddress(String host, int port) {
  static final int DEFAULT_PORT = Wire.DEFAULT_PORT;

  public ServerAddress {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }
  }

  public static ServerAddress parse(String text) {
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 2) {
        throw new IllegalArgumentException("unclosed '[' in " + text);
      }
      String rest = text.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':PORT' after ']' in " + text);
      }
      return new ServerAddress(
          text.substring(1, close), rest.isEmpty() ? DEFAULT_PORT : port(rest.substring(1)));
    }
    int colon = text.indexOf(':');
    if (colon < 0 || colon != text.lastIndexOf(':')) {
      return checkedHost(text, DEFAULT_PORT);
    }
    return checkedHost(text.substring(0, colon), port(text.substring(colon + 1)));
  }

  private static ServerAddress checkedHost(String host, int port) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host name");
    }
    return new ServerAddress(host, port);
  }

  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + text + "' is not a number");
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
