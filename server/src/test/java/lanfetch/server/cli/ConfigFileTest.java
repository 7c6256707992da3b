package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import lanfetch.server.AccessRecord;
import lanfetch.server.FileServer;
import lanfetch.server.ServerConfig;
import lanfetch.server.StartupException.Reason;
import lanfetch.server.security.TokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --config FILE: every option from the file, the command line over it, and bad files. */
class ConfigFileTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(ServerMain main, String... args) {
    var cmd = ServerMain.commandLine(main);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path conf(String text) throws Exception {
    return Files.writeString(tmp.resolve("server.conf"), text);
  }

  /** Runs the server with these arguments until it listens; returns its configuration. */
  private ServerConfig started(String... args) throws Exception {
    var main = new ServerMain();
    main.env = Map.of();
    var started = new CompletableFuture<FileServer>();
    main.onStart =
        server -> {
          started.complete(server);
          server.close();
        };
    var exit = CompletableFuture.supplyAsync(() -> run(main, args));
    FileServer server = started.get(30, TimeUnit.SECONDS);
    assertEquals(ServerMain.OK, exit.get(30, TimeUnit.SECONDS), err::toString);
    return server.config();
  }

  /** A run that must fail before serving: its exit code, with exactly one line on stderr. */
  private String failure(int exitCode, String... args) {
    var main = new ServerMain();
    main.env = Map.of();
    main.onStart = FileServer::close; // should it start after all, the test still ends
    assertEquals(exitCode, run(main, args), () -> out + "\n" + err);
    String text = err.toString();
    assertEquals(1, text.lines().count(), text);
    assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    assertEquals("", out.toString());
    return text.strip();
  }

  @Test
  void everyOptionSetInTheFileTakesEffect() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served dir"));
    Path token = tmp.resolve("token");
    TokenFile.write(token, TokenFile.generate(), false);
    Path key = tmp.resolve("keys/tls-key.p12");
    Path file =
        conf(
            """
        # every setting, none at its default
        port = 0
        bind = 127.0.0.1
        threads = 3
        queue = 5
        max-connections = 11
        max-per-address = 4
        max-requests = 99
        max-frame = 8192
        handshake-timeout = 2s
        idle-timeout = 3m
        request-timeout = 1500ms
        send-timeout = 7s

        grace = 0
        no-symlinks = true
        hidden = TRUE
        token-file = %s
        tls = true
        tls-key = %s
        quiet = true
        log-format = json
        """
                .formatted(token, key));

    ServerConfig config = started("--config", file.toString(), served.toString());

    assertEquals(InetAddress.getByName("127.0.0.1"), config.bindAddress().orElseThrow());
    assertEquals(3, config.threads());
    assertEquals(5, config.queueCapacity());
    assertEquals(11, config.maxConnections());
    assertEquals(4, config.maxConnectionsPerAddress());
    assertEquals(99, config.maxRequestsPerConnection());
    assertEquals(8192, config.maxFrameSize());
    assertEquals(Duration.ofSeconds(2), config.handshakeTimeout());
    assertEquals(Duration.ofMinutes(3), config.idleTimeout());
    assertEquals(Duration.ofMillis(1500), config.requestTimeout());
    assertEquals(Duration.ofSeconds(7), config.sendTimeout());
    assertEquals(Duration.ZERO, config.grace());
    assertFalse(config.followSymlinks());
    assertTrue(config.serveHidden());
    assertTrue(config.accessToken().isPresent(), "token-file");
    assertTrue(Files.isRegularFile(key), "tls-key: the key was created where the file said");
    assertEquals(
        config.tls().orElseThrow().fingerprint(),
        out.toString().lines().findFirst().map(ConfigFileTest::fingerprint).orElseThrow());

    out.getBuffer().setLength(0);
    config
        .log()
        .access(new AccessRecord(Instant.EPOCH, "127.0.0.1:1", "GET", "a", "OK", 1, Duration.ZERO));
    config.log().warn("127.0.0.1:1", "a warning");
    assertEquals("", out.toString(), "quiet: no access line");
    assertTrue(
        err.toString().lines().reduce((a, b) -> b).orElse("").startsWith("{\"time\""),
        "log-format json: " + err);
  }

  private static String fingerprint(String startupLine) {
    Matcher m = StartupLine.FINGERPRINT.matcher(startupLine);
    assertTrue(m.find(), startupLine);
    return m.group(1);
  }

  @Test
  void theCommandLineWinsOverTheFile() throws Exception {
    Path file =
        conf(
            """
        port = 0
        bind = 127.0.0.1
        threads = 3
        queue = 5
        hidden = true
        no-symlinks = true
        """);
    ServerConfig config =
        started(
            "--config",
            file.toString(),
            "--threads",
            "7",
            "--no-hidden",
            "--symlinks",
            "-q",
            tmp.toString());
    assertEquals(7, config.threads());
    assertEquals(
        5, config.queueCapacity(), "what the command line does not give comes from the file");
    assertFalse(config.serveHidden());
    assertTrue(config.followSymlinks());
    Matcher m = StartupLine.PATTERN.matcher(out.toString().lines().findFirst().orElseThrow());
    assertTrue(m.matches(), out.toString());
    assertEquals("7", m.group(3));
    assertEquals("5", m.group(4));
  }

  @Test
  void onOffOptionsTurnOnFromTheCommandLineOverAFileThatSaysFalse() throws Exception {
    Path file = conf("port = 0\nbind = 127.0.0.1\nhidden = false\nquiet = false\n");
    ServerConfig config = started("--config", file.toString(), "--hidden", "-q", tmp.toString());
    assertTrue(config.serveHidden());
  }

  @Test
  void anUnknownKeyIsOneLineWithFileAndLineAndASuggestion() throws Exception {
    Path file = conf("# a comment\n\nport = 0\nthread = 4\n");
    String line = failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString());
    assertEquals(
        "lanfetch-server: " + file + ":4: unknown option 'thread' (did you mean 'threads'?)", line);
  }

  @Test
  void aShortNameOrANegatedFlagSuggestsTheKeyToWrite() throws Exception {
    Path file = conf("p = 7890\n");
    assertEquals(
        "lanfetch-server: " + file + ":1: unknown option 'p' (did you mean 'port'?)",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
    err.getBuffer().setLength(0);
    conf("no-hidden = true\n");
    assertEquals(
        "lanfetch-server: "
            + file
            + ":1: unknown option 'no-hidden' (did you mean 'hidden = false'?)",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void aBadValueIsOneLineWithFileAndLine() throws Exception {
    Path file = conf("port = 0\nidle-timeout = soon\n");
    String line = failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString());
    assertTrue(
        line.startsWith(
            "lanfetch-server: " + file + ":2: invalid value for 'idle-timeout': 'soon'"),
        line);
  }

  @Test
  void aValueOutOfRangeIsOneLineWithFileAndLine() throws Exception {
    Path file = conf("port = 0\n\nthreads = 0\n");
    assertEquals(
        "lanfetch-server: " + file + ":3: threads must be between 1 and 4096: 0",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void aFlagTakesTrueOrFalseOnly() throws Exception {
    Path file = conf("hidden = yes\n");
    assertEquals(
        "lanfetch-server: " + file + ":1: 'hidden' is true or false, not 'yes'",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void aLineThatIsNotKeyEqualsValueOrSetsAKeyTwiceIsOneLine() throws Exception {
    Path file = conf("threads 4\n");
    assertEquals(
        "lanfetch-server: " + file + ":1: expected 'option = value', found 'threads 4'",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
    err.getBuffer().setLength(0);
    conf("threads = 4\nqueue = 9\nthreads = 5\n");
    assertEquals(
        "lanfetch-server: " + file + ":3: 'threads' is already set on line 1",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void aTokenIsRefusedAsAValueWithoutEchoingIt() throws Exception {
    Path file = conf("token = s3cret-t0ken\n");
    String line = failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString());
    assertTrue(
        line.startsWith("lanfetch-server: " + file + ":1: a token never goes in this file"), line);
    assertTrue(line.contains("token-file"), line);
    assertFalse(line.contains("s3cret"), line);
  }

  @Test
  void theDirectoryAndCommandLineActionsAreNotSettings() throws Exception {
    Path file = conf("dir = /srv/files\n");
    assertTrue(
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString())
            .endsWith(
                ":1: the directory to serve is not set here: name it on the command line (DIR),"
                    + " or for the service in LANFETCH_DIR"),
        err::toString);
    for (String action : new String[] {"generate-token", "config", "help"}) {
      err.getBuffer().setLength(0);
      conf(action + " = x\n");
      assertEquals(
          "lanfetch-server: " + file + ":1: '" + action + "' works only on the command line",
          failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
    }
  }

  @Test
  void aTlsKeyWithoutTlsIsNamedAtItsLineUnlessTheCommandLineTurnsTlsOff() throws Exception {
    Path key = tmp.resolve("key.p12");
    Path file = conf("port = 0\nbind = 127.0.0.1\ntls-key = " + key + "\n");
    assertEquals(
        "lanfetch-server: " + file + ":3: tls-key needs tls = true",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
    err.getBuffer().setLength(0);
    ServerConfig config = started("--config", file.toString(), "--no-tls", "-q", tmp.toString());
    assertTrue(config.tls().isEmpty());
    assertFalse(Files.exists(key), "the file's key is not used with --no-tls");
  }

  @Test
  void aMissingConfigFileIsOneLineAndTheConfigExitCode() {
    Path file = tmp.resolve("nope.conf");
    assertEquals(
        "lanfetch-server: configuration file " + file + " does not exist",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void aConfigFileThatIsNotUtf8IsOneLine() throws Exception {
    Path file =
        Files.write(
            tmp.resolve("latin1.conf"), new byte[] {'b', 'i', 'n', 'd', '=', (byte) 0xE9, '\n'});
    assertEquals(
        "lanfetch-server: cannot read configuration file " + file + ": not UTF-8 text",
        failure(Reason.CONFIG.exitCode(), "--config", file.toString(), tmp.toString()));
  }

  @Test
  void helpNamesTheConfigFileAndItsExitCode() {
    assertEquals(ServerMain.OK, run(new ServerMain(), "--help"));
    String help = out.toString();
    assertTrue(help.contains("--config=FILE"), help);
    assertTrue(
        help.matches(
            "(?s).*\\n  "
                + Reason.CONFIG.exitCode()
                + " +"
                + java.util.regex.Pattern.quote(Reason.CONFIG.description())
                + "\\n.*"),
        help);
  }
}
