package lanfetch.server.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import lanfetch.common.ConfigDirectory;
import lanfetch.common.FileErrors;
import lanfetch.protocol.KeyFingerprint;
import lanfetch.protocol.Wire;
import lanfetch.server.StartupException;
import lanfetch.server.StartupException.Reason;

/**
 * The server's TLS identity: a key pair with a self-signed certificate in a PKCS#12 file, and the
 * TLS 1.3 context built from it. Clients trust the key by its fingerprint, never through a
 * certificate authority, so the certificate's names and dates carry no meaning.
 *
 * <p>The key file is protected by its owner-only permissions, like an ssh host key; the PKCS#12
 * password is a fixed, public value because the format demands one.
 */
public final class ServerTls {
  static final String PROTOCOL = Wire.TLS_VERSION;
  static final char[] STORE_PASSWORD = "lanfetch".toCharArray();
  static final String ALIAS = "lanfetch";
  private static final String[] CIPHER_SUITES = {
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"
  };

  private final SSLContext context;
  private final String fingerprint;
  private final Path keyFile;

  private ServerTls(SSLContext context, String fingerprint, Path keyFile) {
    this.context = context;
    this.fingerprint = fingerprint;
    this.keyFile = keyFile;
  }

  /** The default key file: {@code server/tls-key.p12} in the {@link ConfigDirectory}. */
  public static Path defaultKeyFile(Function<String, String> env, String userHome) {
    return ConfigDirectory.of(env, userHome).resolve("server").resolve("tls-key.p12");
  }

  /**
   * Loads the key in {@code keyFile}, creating it first if there is none.
   *
   * @throws StartupException if the file cannot be created or read, is readable by others, or holds
   *     no usable key
   */
  public static ServerTls loadOrCreate(Path keyFile) throws StartupException {
    Objects.requireNonNull(keyFile, "keyFile");
    if (!Files.exists(keyFile)) {
      SelfSignedKey.create(keyFile);
    }
    return load(keyFile);
  }

  static ServerTls load(Path keyFile) throws StartupException {
    try (InputStream in = Files.newInputStream(keyFile)) {
      TokenFile.checkPrivate(keyFile, "TLS key file");
      var store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD);
      String alias =
          Collections.list(store.aliases()).stream()
              .filter(a -> isKey(store, a))
              .findFirst()
              .orElseThrow(() -> fail("TLS key file " + keyFile + " holds no private key", null));
      Certificate cert = store.getCertificate(alias);
      var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, STORE_PASSWORD);
      var context = SSLContext.getInstance(PROTOCOL);
      context.init(kmf.getKeyManagers(), null, null);
      return new ServerTls(context, KeyFingerprint.of(cert.getPublicKey().getEncoded()), keyFile);
    } catch (StartupException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw fail("TLS key file " + keyFile + " does not exist", e);
    } catch (IOException e) {
      throw fail("cannot use TLS key file " + keyFile + ": " + FileErrors.describe(e), e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw fail("cannot use TLS key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static StartupException fail(String message, Throwable cause) {
    return new StartupException(Reason.SECURITY, message, cause);
  }

  /** {@code SHA256:...}, the name clients pin. */
  public String fingerprint() {
    return fingerprint;
  }

  public Path keyFile() {
    return keyFile;
  }

  /** A server-side engine speaking TLS 1.3 only. */
  public SSLEngine newEngine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(new String[] {PROTOCOL});
    // AES-128-GCM first: as safe for this use and cheaper per byte than the JDK's default
    // AES-256 preference, which is what bounds a big file's throughput.
    SSLParameters params = engine.getSSLParameters();
    params.setCipherSuites(CIPHER_SUITES);
    params.setUseCipherSuitesOrder(true);
    engine.setSSLParameters(params);
    return engine;
  }
}
