package lanfetch.client.trust;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import lanfetch.client.ServerAddress;
import lanfetch.protocol.KeyFingerprint;
import lanfetch.protocol.Wire;

/**
 * TLS 1.3 with trust on first use: a server is known by its key's fingerprint, pinned with
 * --fingerprint or recorded in the known-hosts file the first time, never vouched for by a
 * certificate authority. A key that differs from the expected one stops the handshake before a byte
 * of the protocol (or the token) is sent.
 */
public final class TlsTrust {
  static final String PROTOCOL = Wire.TLS_VERSION;

  private final String pinned;
  private final KnownHosts knownHosts;
  private final Consumer<String> notice;
  private final Set<String> announced = ConcurrentHashMap.newKeySet();

  /**
   * @param pinned the fingerprint to require, or null to use the known-hosts file
   * @param notice where to say that a new server was trusted (stderr)
   */
  public TlsTrust(String pinned, KnownHosts knownHosts, Consumer<String> notice) {
    this.pinned = pinned;
    this.knownHosts = knownHosts;
    this.notice = notice;
  }

  /**
   * Runs the TLS handshake over the connected {@code plain} socket.
   *
   * @throws KeyMismatchException (as the cause of an SSLException) if the key is not the one
   *     expected
   */
  public SSLSocket handshake(Socket plain, ServerAddress address) throws IOException {
    String hostPort = address.toString();
    String expected = pinned != null ? pinned : knownHosts.lookup(hostPort).orElse(null);
    var check = new FingerprintCheck(hostPort, expected, pinned != null, knownHosts);
    SSLSocket socket;
    try {
      var context = SSLContext.getInstance(PROTOCOL);
      context.init(null, new TrustManager[] {check}, null);
      socket =
          (SSLSocket)
              context.getSocketFactory().createSocket(plain, address.host(), address.port(), true);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "this Java runtime cannot speak " + PROTOCOL + ": " + e.getMessage(), e);
    }
    socket.setEnabledProtocols(new String[] {PROTOCOL});
    socket.setUseClientMode(true);
    socket.startHandshake();
    if (expected == null) {
      firstUse(hostPort, check.seen);
    }
    return socket;
  }

  private void firstUse(String hostPort, String fingerprint) throws IOException {
    if (knownHosts.lookup(hostPort).isEmpty()) {
      knownHosts.record(hostPort, fingerprint);
    }
    if (announced.add(hostPort)) {
      notice.accept(
          "lanfetch: first connection to "
              + hostPort
              + "; trusting its key "
              + fingerprint
              + " from now on (recorded in "
              + knownHosts.file()
              + ")");
    }
  }

  /** The key the server presented differs from the one pinned or recorded. */
  public static final class KeyMismatchException extends CertificateException {
    KeyMismatchException(String message) {
      super(message);
    }
  }

  /**
   * Checks the server's key by fingerprint alone; the certificate's names and dates do not matter.
   */
  private static final class FingerprintCheck extends X509ExtendedTrustManager {
    private final String hostPort;
    private final String expected;
    private final boolean pinned;
    private final KnownHosts knownHosts;
    volatile String seen;

    FingerprintCheck(String hostPort, String expected, boolean pinned, KnownHosts knownHosts) {
      this.hostPort = hostPort;
      this.expected = expected;
      this.pinned = pinned;
      this.knownHosts = knownHosts;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      seen = KeyFingerprint.of(chain[0].getPublicKey().getEncoded());
      if (expected == null || expected.equals(seen)) {
        return;
      }
      throw new KeyMismatchException(
          pinned
              ? "SERVER KEY DOES NOT MATCH --fingerprint: "
                  + hostPort
                  + " presented "
                  + seen
                  + ", expected "
                  + expected
                  + "; refusing to connect"
              : "WARNING: THE TLS KEY OF "
                  + hostPort
                  + " HAS CHANGED: expected "
                  + expected
                  + ", got "
                  + seen
                  + ". Someone may be intercepting the connection, or the server"
                  + " has a new key; if you know it does, delete its line from "
                  + knownHosts.file()
                  + " (or pin it with --fingerprint) and connect again");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("lanfetch clients do not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
