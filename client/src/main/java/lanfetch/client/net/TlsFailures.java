package lanfetch.client.net;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import lanfetch.client.ExitCodes;
import lanfetch.client.RunException;
import lanfetch.client.ServerAddress;
import lanfetch.client.trust.Access;
import lanfetch.client.trust.TlsTrust;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;

/**
 * Turns what can go wrong while opening a secured session into the one line a user can act on: a
 * changed key, a server that does not speak TLS, one that wants TLS or a token.
 */
final class TlsFailures {
  private TlsFailures() {}

  /** The TLS handshake over {@code plain}; closes it and explains if the handshake fails. */
  static Socket handshake(TlsTrust trust, Socket plain, ServerAddress address) throws IOException {
    try {
      return trust.handshake(plain, address);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SSLException e) {
      plain.close();
      throw classify(address, e);
    }
  }

  private static RunException classify(ServerAddress address, SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TlsTrust.KeyMismatchException m) {
        return new RunException(ExitCodes.HOST_KEY, m.getMessage(), false, e);
      }
      if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
        // Cut, not refused: a plain server answers TLS with an alert, not a close.
        return new RunException(
            ExitCodes.CANNOT_CONNECT,
            "lost the connection to " + address + " during the TLS handshake",
            true,
            e);
      }
    }
    return new RunException(
        ExitCodes.PROTOCOL,
        address
            + " does not speak TLS (the TLS handshake"
            + " failed: "
            + e.getMessage()
            + "); try without --tls",
        false,
        e);
  }

  /** The exception for an ERROR answering HELLO, saying what to change where that is clear. */
  static RunException refusal(ServerAddress address, Access access, ErrorMessage e) {
    ErrorCode code = e.errorCode().orElse(null);
    if (code == ErrorCode.UNAUTHORIZED) {
      return new RunException(
          ExitCodes.REFUSED,
          access.token() == null
              ? address + " requires a token: use --token-file or LANFETCH_TOKEN"
              : address + " refused the token (" + ServerError.text(e) + ")",
          false,
          null);
    }
    if (code == ErrorCode.TLS_REQUIRED) {
      return new RunException(
          ExitCodes.REFUSED, address + " requires TLS: connect with --tls", false, null);
    }
    return ServerError.forSession(address.toString(), e);
  }
}
