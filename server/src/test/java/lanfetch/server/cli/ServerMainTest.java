package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.server.FileServer;
import lanfetch.server.Servers;
import lanfetch.server.StartupException.Reason;
import lanfetch.server.TestClient;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with captured output, and once as a real process. */
class ServerMainTest {
  @TempDir Path root;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(ServerMain main, String... args) {
    var cmd = ServerMain.commandLine(main);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private int run(String... args) {
    return run(new ServerMain(), args);
  }

  /** One line on stderr, naming the problem, and no stack trace. */
  private void assertOneLineError(String fragment) {
    String text = err.toString();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.startsWith("lanfetch-server: ") && text.contains(fragment), text);
    assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    assertEquals("", out.toString());
  }

  @Test
  void aMissingRootIsOneLineAndItsOwnExitCode() {
    assertEquals(
        Reason.ROOT_MISSING.exitCode(), run(root.resolve("nope").toString(), "--port", "0"));
    assertOneLineError("does not exist");
  }

  @Test
  void aRootThatIsAFileIsOneLineAndItsOwnExitCode() throws IOException {
    Path file = Files.writeString(root.resolve("f.txt"), "x");
    assertEquals(Reason.ROOT_NOT_DIRECTORY.exitCode(), run(file.toString(), "--port", "0"));
    assertOneLineError("not a directory");
  }

  /** In a JVM of its own that permissions bind, as nobody when the suite runs as root. */
  @Test
  void anUnreadableRootIsOneLineAndItsOwnExitCode() throws Exception {
    Unprivileged.share(root);
    Path locked = Files.createDirectories(root.resolve("locked"));
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      var run = Unprivileged.run(locked.toString(), "--port", "0", "--bind", "127.0.0.1");
      assertEquals(Reason.ROOT_UNREADABLE.exitCode(), run.exitCode(), run::toString);
      out.write(run.out());
      err.write(run.err());
      assertOneLineError("cannot read directory");
    } finally {
      Files.setPosixFilePermissions(
          locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aPortInUseIsOneLineAndItsOwnExitCode() throws IOException {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(
          Reason.ADDRESS_IN_USE.exitCode(),
          run(
              root.toString(),
              "--bind",
              "127.0.0.1",
              "--port",
              String.valueOf(taken.getLocalPort())));
    }
    assertOneLineError("address already in use");
  }

  @Test
  void anAddressNotOnThisMachineIsOneLineAndItsOwnExitCode() {
    // TEST-NET-1 (RFC 5737) is never assigned to a host; binding fails locally, nothing is sent.
    assertEquals(
        Reason.CANNOT_LISTEN.exitCode(),
        run(root.toString(), "--bind", "192.0.2.1", "--port", "0"));
    assertOneLineError("cannot listen on 192.0.2.1:0");
  }

  @Test
  void badValuesAreUsageErrors() {
    assertEquals(ServerMain.USAGE, run(root.toString(), "--idle-timeout", "soon"));
    assertTrue(err.toString().contains("not a duration"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ServerMain.USAGE, run(root.toString(), "--threads", "0", "--port", "0"));
    assertOneLineError("threads must be between 1 and 4096");
  }

  @Test
  void aZeroTimeoutIsNamedTheWayTheUserWroteIt() {
    assertEquals(ServerMain.USAGE, run(root.toString(), "--idle-timeout", "0", "--port", "0"));
    assertOneLineError("idle timeout must be positive: 0s");
  }

  @Test
  void aMalformedValueIsOneLineNotTheWholeUsage() {
    assertEquals(ServerMain.USAGE, run(root.toString(), "--grace", "-5s"));
    assertOneLineError("'-5s' is not a duration");
    err.getBuffer().setLength(0);
    assertEquals(ServerMain.USAGE, run(root.toString(), "--no-such-option"));
    assertOneLineError("--no-such-option");
  }

  @Test
  void helpListsEveryLimitWithItsDefault() {
    assertEquals(ServerMain.OK, run("--help"));
    String help = out.toString();
    for (String flag :
        new String[] {
          "--port",
          "--bind",
          "--threads",
          "--queue",
          "--max-connections",
          "--max-per-address",
          "--max-requests",
          "--max-frame",
          "--handshake-timeout",
          "--idle-timeout",
          "--request-timeout",
          "--send-timeout",
          "--grace",
          "--[no-]symlinks",
          "--[no-]hidden",
          "--[no-]quiet",
          "--log-format",
          "--config"
        }) {
      assertTrue(help.contains(flag), flag);
    }
    assertTrue(
        help.contains("(default: 10s)")
            && help.contains("(default: 60s)")
            && help.contains("(default: 1024)"),
        help);
  }

  @Test
  void servesPrintsTheStartupLineAndLogsEachRequest() throws Exception {
    Files.writeString(root.resolve("a.txt"), "hello");
    var main = new ServerMain();
    var started = new CompletableFuture<FileServer>();
    main.onStart = started::complete;
    var exit =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    main,
                    root.toString(),
                    "--port",
                    "0",
                    "--bind",
                    "127.0.0.1",
                    "--threads",
                    "3",
                    "--queue",
                    "7",
                    "--log-format",
                    "json"));
    FileServer server = started.get(30, TimeUnit.SECONDS);

    String line = out.toString().lines().findFirst().orElseThrow();
    Matcher m = StartupLine.PATTERN.matcher(line);
    assertTrue(m.matches(), line);
    assertEquals("127.0.0.1", m.group(1));
    assertEquals(server.address().getPort(), Integer.parseInt(m.group(2)));
    assertEquals("3", m.group(3));
    assertEquals("7", m.group(4));
    assertEquals(root.toRealPath().toString(), m.group(5));

    try (var c =
        TestClient.connect(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))))) {
      c.handshake();
      c.send(GetRequest.whole("a.txt"));
      assertArrayEquals("hello".getBytes(), c.body(assertInstanceOf(GetHeader.class, c.read())));
    }
    Servers.await(
        java.time.Duration.ofSeconds(10),
        "the access line",
        () -> out.toString().lines().count() >= 2);
    String access = out.toString().lines().skip(1).findFirst().orElseThrow();
    assertTrue(
        access.matches(
            "\\{\"time\":\"[^\"]+\",\"type\":\"access\",\"client\":\"127\\.0\\.0\\.1:\\d+\","
                + "\"protocol\":\"lanfetch\",\"request\":\"GET\",\"name\":\"a.txt\",\"status\":\"OK\",\"bytes\":\\d+,\"durationMs\":[0-9.]+}"),
        access);

    server.close();
    assertEquals(ServerMain.OK, exit.get(30, TimeUnit.SECONDS));
  }

  @Test
  void sigtermLetsATransferFinishAndExitsZero() throws Exception {
    TestFiles.sparse(root.resolve("big.bin"), 32L << 20);
    try (var server = ServerProcess.start(java.util.List.of(), root, "-q")) {
      Process p = server.process;
      try (var c = TestClient.connect(server.address)) {
        c.handshake();
        c.send(GetRequest.whole("big.bin"));
        var h = assertInstanceOf(GetHeader.class, c.read());
        c.input().readNBytes(1 << 20);
        p.destroy(); // SIGTERM
        c.input().skipNBytes(h.length() - (1 << 20));
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process exited");
      assertEquals(ServerMain.OK, p.exitValue());
    }
  }

  @Test
  void anIpv6LoopbackAddressIsBracketedInTheStartupLine() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (var probe = new ServerSocket(0, 1, v6)) {
      probe.getLocalPort();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
    }
    var main = new ServerMain();
    var started = new CompletableFuture<FileServer>();
    main.onStart = started::complete;
    var exit =
        CompletableFuture.supplyAsync(
            () -> run(main, root.toString(), "--port", "0", "--bind", "::1"));
    FileServer server = started.get(30, TimeUnit.SECONDS);
    Matcher m = StartupLine.PATTERN.matcher(out.toString().lines().findFirst().orElseThrow());
    assertTrue(m.matches(), out.toString());
    assertEquals("[::1]", m.group(1));
    server.close();
    assertEquals(ServerMain.OK, exit.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aDeadEventLoopEndsTheProcessWithExitOneAndOneLine() throws Exception {
    var main = new ServerMain();
    main.onStart =
        server ->
            Servers.onLoopThread(
                server,
                () -> {
                  throw new OutOfMemoryError("Java heap space (simulated)");
                });
    int code = run(main, root.toString(), "--port", "0", "--bind", "127.0.0.1", "-q");
    assertEquals(ServerMain.SOFTWARE, code, err.toString());
    String last = err.toString().lines().reduce((a, b) -> b).orElse("");
    assertTrue(
        last.startsWith("lanfetch-server: ") && last.contains("OutOfMemoryError"), err.toString());
    assertFalse(err.toString().contains("\tat "), err.toString());
  }
}
