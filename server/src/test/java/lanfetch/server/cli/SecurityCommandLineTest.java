package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.Hello;
import lanfetch.server.FileServer;
import lanfetch.server.StartupException.Reason;
import lanfetch.server.TestClient;
import lanfetch.server.security.ServerTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --generate-token, --token-file, LANFETCH_TOKEN and --tls on the command line. */
class SecurityCommandLineTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(ServerMain main, String... args) {
    var cmd = new CommandLine(main);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void generateTokenPrintsAStrongTokenAndWritesItOwnerOnly() throws Exception {
    Path file = tmp.resolve("token");
    assertEquals(0, run(new ServerMain(), "--generate-token", file.toString()));
    String token = out.toString().strip();
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
    assertEquals(token, Files.readString(file).strip());
    assertEquals("rw-------", perms(file));

    assertEquals(0, run(new ServerMain(), "--generate-token"));
    assertFalse(
        out.toString().lines().skip(1).findFirst().orElseThrow().equals(token), "fresh each time");
  }

  @Test
  void generateTokenCreatesMissingDirectoriesOwnerOnly() throws Exception {
    Path file = tmp.resolve("home/.config/lanfetch/token");
    assertEquals(0, run(new ServerMain(), "--generate-token", file.toString()), err.toString());
    assertEquals(out.toString().strip(), Files.readString(file).strip());
    assertEquals("rw-------", perms(file));
    assertEquals("rwx------", perms(file.getParent()));
  }

  @Test
  void aTokenThatCannotBeWrittenSaysWhyOnceNotThePathTwice() throws Exception {
    Files.writeString(tmp.resolve("plain"), "a file where a directory should be\n");
    Path file = tmp.resolve("plain/token");
    assertEquals(
        Reason.SECURITY.exitCode(), run(new ServerMain(), "--generate-token", file.toString()));
    String line = err.toString().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(
        line.endsWith(
            "cannot write token file " + file + ": " + tmp.resolve("plain") + ": not a directory"),
        line);
  }

  @Test
  void generateTokenNeverOverwritesWithoutForce() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, "keep me\n");
    assertEquals(
        Reason.SECURITY.exitCode(), run(new ServerMain(), "--generate-token", file.toString()));
    assertTrue(err.toString().contains("already exists"), err.toString());
    assertEquals("keep me", Files.readString(file).strip());
    assertEquals(0, run(new ServerMain(), "--generate-token", file.toString(), "--force"));
    assertFalse(Files.readString(file).contains("keep me"));
    assertEquals("rw-------", perms(file));
  }

  @Test
  void aTokenFileOthersCanReadIsRefused() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, "secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertEquals(
        Reason.SECURITY.exitCode(),
        run(
            new ServerMain(),
            tmp.toString(),
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
            "--token-file",
            file.toString()));
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("chmod 600"), err.toString());
  }

  @Test
  void theEnvironmentTokenIsRequiredOfClients() throws Exception {
    var main = new ServerMain();
    main.env = Map.of("LANFETCH_TOKEN", "from-env");
    var started = new CompletableFuture<FileServer>();
    main.onStart = started::complete;
    var exit =
        CompletableFuture.supplyAsync(
            () -> run(main, tmp.toString(), "--port", "0", "--bind", "127.0.0.1", "-q"));
    FileServer server = started.get(30, TimeUnit.SECONDS);
    try (var c = TestClient.connect(server.address())) {
      c.send(Hello.current());
      c.expectError(ErrorCode.UNAUTHORIZED);
    }
    try (var c = TestClient.connect(server.address())) {
      c.send(TestClient.hello("from-env"));
      c.read();
    }
    server.close();
    assertEquals(ServerMain.OK, exit.get(30, TimeUnit.SECONDS));
  }

  @Test
  void tlsCreatesAPrivateKeyOnceAndShowsItsFingerprintInTheStartupLine() throws Exception {
    Path config = tmp.resolve("config");
    String first = startTls(config);
    Path key = config.resolve("lanfetch").resolve("server").resolve("tls-key.p12");
    assertEquals("rw-------", perms(key));
    assertEquals("rwx------", perms(key.getParent()));
    assertTrue(err.toString().contains("created a new TLS key"), err.toString());
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    assertEquals(first, startTls(config), "the same key on the next start");
    assertFalse(err.toString().contains("created a new TLS key"), err.toString());
  }

  /** Starts with --tls, checks the line and a plain client's refusal; returns the fingerprint. */
  private String startTls(Path config) throws Exception {
    var main = new ServerMain();
    main.env = Map.of("XDG_CONFIG_HOME", config.toString());
    var started = new CompletableFuture<FileServer>();
    main.onStart = started::complete;
    var exit =
        CompletableFuture.supplyAsync(
            () -> run(main, tmp.toString(), "--port", "0", "--bind", "127.0.0.1", "--tls", "-q"));
    FileServer server = started.get(60, TimeUnit.SECONDS);
    String line = out.toString().lines().findFirst().orElseThrow();
    assertTrue(StartupLine.PATTERN.matcher(line).matches(), line);
    Matcher m = StartupLine.FINGERPRINT.matcher(line);
    assertTrue(m.find(), line);
    assertEquals(server.config().tls().orElseThrow().fingerprint(), m.group(1));
    try (var c = TestClient.connect(server.address())) {
      c.send(Hello.current());
      assertTrue(c.expectError(ErrorCode.TLS_REQUIRED).closing());
      assertEquals(null, c.readOrEnd());
    }
    server.close();
    assertEquals(ServerMain.OK, exit.get(30, TimeUnit.SECONDS));
    return m.group(1);
  }

  @Test
  void aTlsKeyOthersCanReadIsRefused() throws Exception {
    Path key = tmp.resolve("key.p12");
    ServerTls.loadOrCreate(key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(
        Reason.SECURITY.exitCode(),
        run(
            new ServerMain(),
            tmp.toString(),
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
            "--tls",
            "--tls-key",
            key.toString()));
    assertTrue(err.toString().contains("chmod 600"), err.toString());
  }
}
