package lanfetch.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The get command against an honest fake server: layout, policies, JSON, stdout, exit codes. */
class GetCommandTest extends FakeServerTest {
  @TempDir Path dir;

  private Cli.Result get(String... args) {
    var all =
        new java.util.ArrayList<>(
            List.of("get", server.address(), "-o", dir.toString(), "--retries", "0"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void downloadsSeveralFilesUnderPrefixedNames() throws IOException {
    server
        .put("a/b.txt", "hello".getBytes(UTF_8))
        .put("报告.pdf", "报告内容".getBytes(UTF_8))
        .put("empty", new byte[0]);
    var r = get("a/b.txt", "报告.pdf", "empty");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("hello", Files.readString(dir.resolve("[接收]b.txt")));
    assertEquals("报告内容", Files.readString(dir.resolve("[接收]报告.pdf")));
    assertEquals(0, Files.size(dir.resolve("[接收]empty")));
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "no part or meta files left behind");
    }
  }

  @Test
  void prefixCanBeChanged() throws IOException {
    server.put("x", "1".getBytes(UTF_8));
    assertEquals(0, get("x", "--prefix", "").exit());
    assertTrue(Files.exists(dir.resolve("x")));
  }

  @Test
  void missingFileIsOneLineAndExitOne() {
    server.put("here", "1".getBytes(UTF_8));
    var r = get("here", "nope");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals(
        List.of("lanfetch: \"nope\": not found on the server"),
        r.err().lines().filter(l -> l.contains("nope")).toList(),
        r::toString);
    assertFalse(Files.exists(dir.resolve("[接收]nope")));
    assertTrue(Files.exists(dir.resolve("[接收]here")));
  }

  @Test
  void traversalNamesAreRefusedBeforeAnyRequest() {
    // A leading / is not a traversal: names are relative to the served root (issue 11 item 10).
    var r = get("../etc/passwd", "a/../../b", "a\\b", "c:d");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals(4, r.err().lines().filter(l -> l.contains("invalid name")).count(), r::toString);
    assertEquals(List.of(), server.takeAll(Kind.GET));
  }

  @Test
  void existingDestinationIsAnErrorUnlessAPolicyIsChosen() throws IOException {
    server.put("f", "new".getBytes(UTF_8));
    Files.writeString(dir.resolve("[接收]f"), "old");
    var r = get("f");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().contains("already exists"), r::toString);
    assertEquals("old", Files.readString(dir.resolve("[接收]f")));

    assertEquals(0, get("f", "--skip-existing").exit());
    assertEquals("old", Files.readString(dir.resolve("[接收]f")));

    assertEquals(0, get("f", "--overwrite").exit());
    assertEquals("new", Files.readString(dir.resolve("[接收]f")));
    assertEquals(ExitCodes.USAGE, get("f", "--overwrite", "--skip-existing").exit());
  }

  @Test
  void symlinkDestinationIsNeverFollowed() throws IOException {
    server.put("f", "server data".getBytes(UTF_8));
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Files.createSymbolicLink(dir.resolve("[接收]f"), victim);
    var r = get("f");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().contains("symbolic link"), r::toString);
    assertEquals(0, get("f", "--overwrite").exit());
    assertEquals("precious", Files.readString(victim));
    assertFalse(Files.isSymbolicLink(dir.resolve("[接收]f")));
    assertEquals("server data", Files.readString(dir.resolve("[接收]f")));
  }

  @Test
  void twoNamesLandingOnOneFileAreCaughtAndTheSameNameTwiceIsFetchedOnce() throws IOException {
    server.put("a/x.txt", "from a".getBytes(UTF_8)).put("b/x.txt", "from b".getBytes(UTF_8));
    var r = get("a/x.txt", "b/x.txt", "a/x.txt", "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("from a", Files.readString(dir.resolve("[接收]x.txt")));
    var failed = r.events("failed");
    assertEquals(1, failed.size());
    assertEquals("NAME_CLASH", failed.get(0).get("error"));
    assertEquals("b/x.txt", failed.get(0).get("name"));
    assertEquals(1, r.events("skipped").size());
    assertEquals(
        List.of("a/x.txt"),
        server.takeAll(Kind.GET).stream().map(g -> ((GetRequest) g.message()).path()).toList());
  }

  @Test
  void jsonReportsEveryEventAndASummary() throws IOException {
    byte[] data = TestFiles.random(5000, 1);
    server.put("d/one.bin", data).put("two \"quoted\" 名.txt", "2".getBytes(UTF_8));
    var r = get("d/one.bin", "two \"quoted\" 名.txt", "missing", "--json", "--verify");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    List<Map<String, Object>> events = r.json();
    var done = r.events("done");
    assertEquals(2, done.size(), r::toString);
    var one =
        done.stream().filter(m -> m.get("name").equals("d/one.bin")).findFirst().orElseThrow();
    assertEquals(5000L, one.get("bytes"));
    assertEquals(TestFiles.sha256(data), one.get("sha256"));
    assertEquals(dir.resolve("[接收]one.bin").toString(), one.get("path"));
    assertTrue(
        r.events("done").stream().anyMatch(m -> m.get("name").equals("two \"quoted\" 名.txt")));
    assertEquals("NOT_FOUND", r.events("failed").get(0).get("error"));
    assertEquals(2, r.events("start").size());
    Map<String, Object> summary = events.get(events.size() - 1);
    assertEquals("summary", summary.get("event"));
    assertEquals(
        Map.of("files", 3L, "done", 2L, "failed", 1L, "exit_code", 1L),
        Map.of(
            "files",
            summary.get("files"),
            "done",
            summary.get("done"),
            "failed",
            summary.get("failed"),
            "exit_code",
            summary.get("exit_code")));
    assertFalse(r.err().contains("{"), "stderr carries no JSON");
  }

  @Test
  void dryRunWritesNothing() {
    server
        .put("logs/a.gz", new byte[10])
        .put("logs/b.gz", new byte[20])
        .put("logs/c.txt", new byte[1]);
    var r = get("logs/*.gz", "logs/c.txt", "missing", "--dry-run", "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    var plans = r.events("plan");
    assertEquals(
        List.of("logs/a.gz", "logs/b.gz", "logs/c.txt"),
        plans.stream().map(m -> m.get("name")).toList());
    assertEquals(20L, plans.get(1).get("size"));
    assertEquals(1L, plans.get(2).get("size"), "sizes of plain names come from STAT");
    assertEquals(false, plans.get(0).get("exists"));
    assertEquals("NOT_FOUND", r.events("failed").get(0).get("error"));
    assertEquals(List.of(), server.takeAll(Kind.GET));
    assertFalse(Files.exists(dir.resolve("[接收]a.gz")));
  }

  @Test
  void singleFileToStdout() {
    byte[] data = TestFiles.random(300_000, 2);
    server.put("big.bin", data);
    var r = Cli.run("get", server.address(), "big.bin", "-o", "-", "--verify");
    assertEquals(0, r.exit(), r::toString);
    assertArrayEquals(data, r.raw());
  }

  @Test
  void stdoutSucceedsWhenTheServerKeepsTheConnectionOpen() {
    server.put("a.txt", "hello".getBytes(UTF_8));
    server.enqueue(Fault.HOLD_OPEN);
    try {
      var r =
          Cli.run("get", server.address(), "a.txt", "-o", "-", "--retries", "0", "--timeout", "20");
      assertEquals(0, r.exit(), r::toString);
      assertArrayEquals("hello".getBytes(UTF_8), r.raw());
      assertEquals("", r.err(), r::toString);
    } finally {
      server.release();
    }
  }

  @Test
  void aLargeBodyThatStallsTimesOutAndKeepsItsPart() throws IOException {
    // Large enough for the direct socket-to-file path, whose reads ignore SO_TIMEOUT.
    server.put("big.bin", TestFiles.random(4 << 20, 21));
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    try {
      var r = get("big.bin", "--timeout", "1");
      assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
      assertTrue(r.err().contains("no data from " + server.address() + " for 1 s"), r::toString);
      assertEquals(
          1 << 20, Files.size(dir.resolve(".[接收]big.bin.part")), "partial kept for resume");
      assertFalse(Files.exists(dir.resolve("[接收]big.bin")));
    } finally {
      server.release();
    }
  }

  @Test
  void stdoutNeedsExactlyOneLiteralName() {
    var r = Cli.run("get", server.address(), "a", "b", "-o", "-");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().startsWith("lanfetch: -o - writes exactly one file"), r::toString);
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    assertEquals(ExitCodes.USAGE, Cli.run("get").exit());
    assertEquals(ExitCodes.USAGE, Cli.run("get", "host:notaport", "x").exit());
    assertEquals(ExitCodes.USAGE, Cli.run("get", server.address(), "x", "-j", "0").exit());
    var r = Cli.run("get", server.address());
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().startsWith("lanfetch: nothing to download"), r::toString);
    assertEquals(ExitCodes.USAGE, Cli.run("frobnicate").exit());
  }

  @Test
  void aBadConnectionOptionIsNamedWithItsValue() {
    var r = Cli.run("get", server.address(), "x", "--timeout", "0");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().startsWith("lanfetch: --timeout must be at least 1, not 0"), r::toString);
    r = Cli.run("list", server.address(), "--retries", "-2");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().startsWith("lanfetch: --retries must not be negative, not -2"), r::toString);
  }

  @Test
  void cannotConnectExitsThree() throws IOException {
    try (var refusing = refusingPort()) {
      int port = port(refusing);
      var r =
          Cli.run(
              "get",
              "127.0.0.1:" + port,
              "x",
              "-o",
              dir.toString(),
              "--retries",
              "1",
              "--retry-wait",
              "1",
              "--json");
      assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
      assertTrue(r.err().contains("cannot connect to 127.0.0.1:" + port), r::toString);
      assertEquals("CONNECTION", r.events("failed").get(0).get("error"));
    }
  }

  @Test
  void jsonEndsWithASummaryEvenWhenListingCannotConnect() throws IOException {
    try (var refusing = refusingPort()) {
      int port = port(refusing);
      var r =
          Cli.run(
              "get",
              "127.0.0.1:" + port,
              "logs/*.gz",
              "-o",
              dir.toString(),
              "--retries",
              "0",
              "--json");
      assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
      assertEquals(3L, r.events("summary").get(0).get("exit_code"));
      assertEquals(1, r.err().lines().count(), r::toString);
    }
  }

  @Test
  void aServerThatIsGoneIsReportedOnceNotOncePerFile() throws IOException {
    try (var refusing = refusingPort()) {
      int port = port(refusing);
      var r =
          Cli.run(
              "get",
              "127.0.0.1:" + port,
              "a",
              "b",
              "c",
              "-o",
              dir.toString(),
              "--retries",
              "0",
              "-j",
              "2");
      assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
      assertEquals(
          1, r.err().lines().filter(l -> l.contains("cannot connect")).count(), r::toString);
    }
  }

  @Test
  void refusedSessionExitsFour() {
    server.put("x", new byte[1]);
    server.setDefault(Fault.REFUSE.with(ErrorCode.UNAUTHORIZED));
    var r = get("x");
    assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
    assertTrue(
        r.err().contains("requires a token: use --token-file or LANFETCH_TOKEN"), r::toString);
  }

  @Test
  void notALanfetchServerExitsFive() {
    server.setDefault(Fault.NOT_LANFETCH);
    var r = get("x");
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertTrue(r.err().contains("is an HTTP server, not lanfetch"), r::toString);
  }

  @Test
  void outputThatIsAFileExitsSix() throws IOException {
    server.put("x", new byte[1]);
    Path file = Files.writeString(dir.resolve("plain"), "");
    var r = Cli.run("get", server.address(), "x", "-o", file.toString());
    assertEquals(ExitCodes.LOCAL, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
  }

  @Test
  void helpListsExitCodesAndVersionWorks() {
    var r = Cli.run("get", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Exit codes:") && r.out().contains("cannot connect"), r::toString);
    assertTrue(r.out().contains("--skip-existing"), r::toString);
    var v = Cli.run("--version");
    assertEquals(0, v.exit());
    assertTrue(v.out().startsWith("lanfetch "), v::toString);
    var c = Cli.run("generate-completion");
    assertEquals(0, c.exit());
    assertTrue(c.out().contains("lanfetch"), "completion script mentions the command");
  }

  /**
   * A port on 127.0.0.1 that refuses connections while the returned socket is open: bound but never
   * listening. A closed server's port would do only until another test's server is given it.
   */
  private static SocketChannel refusingPort() throws IOException {
    return SocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
  }

  private static int port(SocketChannel bound) throws IOException {
    return ((InetSocketAddress) bound.getLocalAddress()).getPort();
  }
}
