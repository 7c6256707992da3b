package lanfetch.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import lanfetch.common.FileErrors;
import lanfetch.common.OwnerOnlyFiles;
import lanfetch.server.StartupException;

/**
 * Creates the server's key pair and self-signed certificate by running the JDK's own {@code
 * keytool}: the JDK has no public API that signs a certificate, and keytool is the JDK-maintained
 * tool that does, so this adds no dependency and no hand-written DER. It runs once, on the first
 * start with --tls.
 *
 * <p>The file appears complete and owner-only or not at all: keytool writes into a private
 * (rwx------) temporary directory beside the target, the file is narrowed to rw------- and then
 * renamed into place.
 */
final class SelfSignedKey {
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private SelfSignedKey() {}

  static void create(Path keyFile) throws StartupException {
    Path target = keyFile.toAbsolutePath();
    Path keytool =
        keytool()
            .orElseThrow(
                () ->
                    ServerTls.fail(
                        "cannot create a TLS key: this Java"
                            + " runtime has no keytool (looked in "
                            + javaBin()
                            + "); give an existing PKCS#12 key"
                            + " with --tls-key FILE",
                        null));
    Path tmpDir = null;
    try {
      OwnerOnlyFiles.createDirectories(target.getParent());
      tmpDir = OwnerOnlyFiles.createTempDirectory(target.getParent(), ".tls-key-");
      Path made = tmpDir.resolve("key.p12");
      run(command(keytool, made));
      OwnerOnlyFiles.restrict(made);
      Files.move(made, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Another server made one at the same moment; the caller loads that one.
    } catch (IOException e) {
      throw ServerTls.fail(
          "cannot create TLS key file " + target + ": " + FileErrors.describe(e), e);
    } catch (UnsupportedOperationException e) {
      throw ServerTls.fail("cannot create TLS key file " + target + ": " + e.getMessage(), e);
    } finally {
      deleteTree(tmpDir);
    }
  }

  private static List<String> command(Path keytool, Path out) {
    var cmd = new ArrayList<String>();
    cmd.add(keytool.toString());
    cmd.addAll(
        List.of(
            "-genkeypair",
            "-noprompt",
            "-alias",
            ServerTls.ALIAS,
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-sigalg",
            "SHA256withECDSA",
            "-dname",
            "CN=lanfetch-server",
            "-validity",
            "36500",
            "-storetype",
            "PKCS12",
            "-keystore",
            out.toString(),
            // Public by design: the file's permissions protect the key (see ServerTls).
            "-storepass",
            new String(ServerTls.STORE_PASSWORD),
            "-keypass",
            new String(ServerTls.STORE_PASSWORD)));
    return cmd;
  }

  private static void run(List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    try {
      byte[] output = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + "s");
      }
      if (p.exitValue() != 0) {
        String said = new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' ');
        throw new IOException("keytool failed (exit " + p.exitValue() + "): " + said);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  /** keytool beside the running java, in java.home/bin or the launcher's own directory. */
  static Optional<Path> keytool() {
    String exe =
        System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
    var candidates = new ArrayList<Path>();
    candidates.add(javaBin().resolve(exe));
    ProcessHandle.current()
        .info()
        .command()
        .map(c -> Path.of(c).getParent())
        .ifPresent(dir -> candidates.add(dir.resolve(exe)));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static Path javaBin() {
    return Path.of(System.getProperty("java.home"), "bin");
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover empty temporary directory is harmless; the key itself was moved or never made.
    }
  }
}
