package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import lanfetch.client.ExitCodes;
import lanfetch.client.ServerAddress;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.trust.Access;
import lanfetch.client.trust.KnownHosts;
import lanfetch.client.trust.TlsTrust;
import lanfetch.server.ServerExtension;
import lanfetch.server.security.AccessToken;
import lanfetch.server.security.ServerTls;
import lanfetch.testing.FaultProxy;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tokens and TLS with pinned keys, end to end against the real server over loopback. */
class SecureTransferTest {
  static final String TOKEN = "correct horse battery staple";
  static final int BIG = 6 * 1024 * 1024 + 12345;

  @TempDir static Path keys;
  static ServerTls identity;

  @TempDir Path tmp;
  Path root;
  Path out;
  Path knownHosts;
  @RegisterExtension final ServerExtension server = ServerExtension.create();
  byte[] big;

  @BeforeAll
  static void createKey() throws IOException {
    identity = ServerTls.loadOrCreate(keys.resolve("server").resolve("tls-key.p12"));
  }

  @BeforeEach
  void files() throws IOException {
    root = server.root();
    out = tmp.resolve("out");
    knownHosts = tmp.resolve("config").resolve("known_hosts");
    big = TestFiles.random(BIG, 3);
    Files.write(root.resolve("big.bin"), big);
    Files.writeString(root.resolve("a.txt"), "hello");
  }

  private void start(boolean tls, String token) throws IOException {
    server.start(
        b -> {
          if (tls) {
            b.tls(identity);
          }
          if (token != null) {
            b.accessToken(AccessToken.of(token));
          }
          return b;
        });
  }

  private String address() {
    return server.hostPort();
  }

  private Path tokenFile(String token) throws IOException {
    Path f = tmp.resolve("token");
    Files.writeString(f, token + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private Cli.Result get(String... extra) {
    var args =
        new ArrayList<>(
            List.of(
                "get",
                address(),
                "a.txt",
                "-o",
                out.toString(),
                "--retries",
                "0",
                "--known-hosts",
                knownHosts.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private Path fetched() {
    return out.resolve("[接收]a.txt");
  }

  @Test
  void rightTokenDownloads() throws IOException {
    start(false, TOKEN);
    var r = get("--token-file", tokenFile(TOKEN).toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("hello", Files.readString(fetched()));
  }

  @Test
  void wrongTokenIsRefusedInOneLine() throws IOException {
    start(false, TOKEN);
    var r = get("--token-file", tokenFile("guess").toString());
    assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("refused the token"), r::toString);
    assertFalse(Files.exists(fetched()));
  }

  @Test
  void missingTokenSaysHowToGiveOne() throws IOException {
    start(false, TOKEN);
    var r = Cli.run("list", address(), "--retries", "0");
    assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
    assertTrue(
        r.err().contains("requires a token: use --token-file or LANFETCH_TOKEN"), r::toString);
  }

  @Test
  void tokenFileReadableByOthersIsRefusedBeforeConnecting() throws IOException {
    start(false, TOKEN);
    Path f = tokenFile(TOKEN);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    var r = get("--token-file", f.toString());
    assertEquals(ExitCodes.LOCAL, r.exit(), r::toString);
    assertTrue(r.err().contains("chmod 600"), r::toString);
  }

  @Test
  void firstUseRecordsTheKeyAndTellsTheUser() throws IOException {
    start(true, null);
    var r = get("--tls");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("hello", Files.readString(fetched()));
    assertTrue(r.err().contains("first connection to " + address()), r::toString);
    assertTrue(r.err().contains(identity.fingerprint()), r::toString);
    assertEquals(address() + " " + identity.fingerprint(), Files.readString(knownHosts).strip());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(knownHosts)));

    Files.delete(fetched());
    var again = get("--tls");
    assertEquals(0, again.exit(), again::toString);
    assertFalse(again.err().contains("first connection"), again::toString);
  }

  @Test
  void changedKeyIsRefusedLoudlyAndNothingIsFetched() throws IOException {
    start(true, null);
    Files.createDirectories(knownHosts.getParent());
    String old = "SHA256:" + "A".repeat(43);
    Files.writeString(knownHosts, address() + " " + old + "\n");
    var r = get("--tls", "--token-file", tokenFile(TOKEN).toString());
    assertEquals(ExitCodes.HOST_KEY, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("HAS CHANGED"), r::toString);
    assertTrue(r.err().contains(identity.fingerprint()), r::toString);
    assertFalse(Files.exists(fetched()));
    assertEquals(address() + " " + old, Files.readString(knownHosts).strip(), "the record stays");
  }

  @Test
  void pinnedFingerprintNeedsNoKnownHosts() throws IOException {
    start(true, null);
    var r = get("--fingerprint", identity.fingerprint());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("hello", Files.readString(fetched()));
    assertFalse(Files.exists(knownHosts));
    assertFalse(r.err().contains("first connection"), r::toString);
  }

  @Test
  void wrongPinnedFingerprintIsRefused() throws IOException {
    start(true, null);
    var r = get("--fingerprint", "SHA256:" + "B".repeat(43));
    assertEquals(ExitCodes.HOST_KEY, r.exit(), r::toString);
    assertTrue(r.err().contains("DOES NOT MATCH --fingerprint"), r::toString);
    assertFalse(Files.exists(fetched()));
  }

  @Test
  void malformedFingerprintIsAUsageError() throws IOException {
    start(true, null);
    var r = get("--fingerprint", "SHA256:short");
    assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
  }

  @Test
  void tokenTravelsInsideTls() throws IOException {
    start(true, TOKEN);
    Path token = tokenFile(TOKEN);
    var r = get("--tls", "--token-file", token.toString());
    assertEquals(0, r.exit(), r::toString);
    var wrong =
        Cli.run(
            "list",
            address(),
            "--tls",
            "--retries",
            "0",
            "--known-hosts",
            knownHosts.toString(),
            "--token-file",
            tokenFile("nope").toString());
    assertEquals(ExitCodes.REFUSED, wrong.exit(), wrong::toString);
    assertTrue(wrong.err().contains("refused the token"), wrong::toString);
  }

  @Test
  void aBusyTlsServerSaysBusyInsideTls() throws Exception {
    server.start(b -> b.maxConnectionsPerAddress(1).tls(identity));
    var trust = new TlsTrust(identity.fingerprint(), new KnownHosts(knownHosts), line -> {});
    try (var held =
        ServerConnection.open(
            ServerAddress.parse(address()),
            java.time.Duration.ofSeconds(10),
            new Access(null, trust))) {
      var r = get("--fingerprint", identity.fingerprint());
      assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
      assertTrue(r.err().contains("BUSY"), r::toString);
    }
  }

  @Test
  void theTokenMayComeFromTheEnvironment() throws IOException {
    start(false, TOKEN);
    var list = new ListCommand();
    var handler = new ErrorHandler();
    var cmd =
        new picocli.CommandLine(list.spec)
            .setExecutionExceptionHandler(handler)
            .setExitCodeExceptionMapper(handler);
    var err = new java.io.StringWriter();
    cmd.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    list.connection.env = java.util.Map.of("LANFETCH_TOKEN", TOKEN)::get;
    assertEquals(0, cmd.execute(address(), "--retries", "0"), err::toString);
    list.connection.env = java.util.Map.of("LANFETCH_TOKEN", "not it")::get;
    assertEquals(ExitCodes.REFUSED, cmd.execute(address(), "--retries", "0"), err::toString);
  }

  @Test
  void aTlsClientThatStopsReadingIsCutOffAfterTheSendTimeout() throws Exception {
    var warnings = new java.util.concurrent.LinkedBlockingQueue<String>();
    server.start(
        b ->
            b.tls(identity)
                .sendTimeout(java.time.Duration.ofMillis(500))
                .log(
                    new lanfetch.server.ServerLog() {
                      @Override
                      public void access(lanfetch.server.AccessRecord record) {}

                      @Override
                      public void warn(String client, String message) {
                        warnings.add(message);
                      }
                    }));
    var trust = new TlsTrust(identity.fingerprint(), new KnownHosts(knownHosts), line -> {});
    try (var c =
        ServerConnection.open(
            ServerAddress.parse(address()),
            java.time.Duration.ofSeconds(30),
            new Access(null, trust))) {
      c.send(lanfetch.protocol.GetRequest.whole("big.bin"));
      c.flush();
      String warning = null;
      for (int i = 0; i < 100 && (warning == null || !warning.contains("send timeout")); i++) {
        warning = warnings.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertTrue(warning != null && warning.contains("send timeout"), String.valueOf(warning));
    }
  }

  @Test
  void manyPipelinedRequestsOverTlsAreAllAnsweredInOrder() throws Exception {
    start(true, null);
    var trust = new TlsTrust(identity.fingerprint(), new KnownHosts(knownHosts), line -> {});
    int count = 1500; // about 300 KB of requests: more than one read's worth of plaintext
    try (var c =
        ServerConnection.open(
            ServerAddress.parse(address()),
            java.time.Duration.ofSeconds(30),
            new Access(null, trust))) {
      var sender =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < count; i++) {
                    c.send(
                        new lanfetch.protocol.StatRequest(
                            i % 2 == 0 ? "a.txt" : "n" + i + "x".repeat(190)));
                  }
                  c.flush();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      for (int i = 0; i < count; i++) {
        var m = c.answer();
        if (i % 2 == 0) {
          assertEquals("a.txt", ((lanfetch.protocol.StatResult) m).entry().name(), "answer " + i);
        } else {
          assertEquals("NOT_FOUND", ((lanfetch.protocol.ErrorMessage) m).codeName(), "answer " + i);
        }
      }
      sender.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void plainClientAgainstTlsServerIsToldToUseTls() throws IOException {
    start(true, null);
    var r = get();
    assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("requires TLS: connect with --tls"), r::toString);
  }

  @Test
  void tlsClientAgainstPlainServerIsToldToDropTls() throws IOException {
    start(false, null);
    var r = get("--tls");
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("does not speak TLS"), r::toString);
    assertTrue(r.err().contains("try without --tls"), r::toString);
    assertFalse(Files.exists(knownHosts));
  }

  @Test
  void bigFileOverTlsIsByteIdentical() throws IOException {
    start(true, TOKEN);
    var r =
        Cli.run(
            "get",
            address(),
            "big.bin",
            "a.txt",
            "-o",
            out.toString(),
            "--verify",
            "--fingerprint",
            identity.fingerprint(),
            "--token-file",
            tokenFile(TOKEN).toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(big), TestFiles.sha256(out.resolve("[接收]big.bin")));
    assertEquals("hello", Files.readString(fetched()));
  }

  @Test
  void cutTlsTransferResumesByteIdentical() throws Exception {
    start(true, null);
    try (var proxy = FaultProxy.cut(server.address().getPort(), BIG / 2)) {
      String[] args = {
        "get",
        proxy.address(),
        "big.bin",
        "-o",
        out.toString(),
        "--retries",
        "0",
        "--fingerprint",
        identity.fingerprint(),
        "--json"
      };
      var first = Cli.run(args);
      assertTrue(first.exit() != 0, first::toString);
      Path part = out.resolve(".[接收]big.bin.part");
      long kept = Files.size(part);
      assertTrue(kept > 0 && kept < BIG, "kept " + kept);
      var second = Cli.run(args);
      assertEquals(0, second.exit(), second::toString);
      assertEquals(kept, ((Number) second.events("start").get(0).get("offset")).longValue());
      assertEquals(TestFiles.sha256(big), TestFiles.sha256(out.resolve("[接收]big.bin")));
    }
  }
}
