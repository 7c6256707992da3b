package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanfetch.client.ExitCodes;
import lanfetch.server.ServerExtension;
import lanfetch.server.security.ServerTls;
import lanfetch.testing.FaultProxy;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the real lanfetch server, in-process over loopback: every scenario runs twice,
 * over plain TCP and over TLS with the server's key pinned by fingerprint.
 */
class EndToEndTest {
  /** How the client reaches the server. */
  enum Transport {
    PLAIN,
    TLS
  }

  @TempDir static Path keys;

  /** One key for the class: creating it costs more than a scenario's handshakes. */
  static ServerTls identity;

  @RegisterExtension final ServerExtension server = ServerExtension.create();
  @TempDir Path tmp;
  Path root;
  Path out;
  Transport transport;

  @BeforeAll
  static void createKey() throws IOException {
    identity = ServerTls.loadOrCreate(keys.resolve("tls-key.p12"));
  }

  private void start(Transport t) throws IOException {
    transport = t;
    root = server.root();
    out = tmp.resolve("out");
    server.start(b -> t == Transport.TLS ? b.tls(identity) : b);
  }

  private String address() {
    return server.hostPort();
  }

  /** The client's command line, with the options that reach the server over this transport. */
  private String[] client(String... args) {
    var all = new ArrayList<>(List.of(args));
    if (transport == Transport.TLS) {
      all.addAll(
          List.of(
              "--tls",
              "--fingerprint",
              identity.fingerprint(),
              "--known-hosts",
              tmp.resolve("known_hosts").toString()));
    }
    return all.toArray(String[]::new);
  }

  private Cli.Result run(String... args) {
    return Cli.run(client(args));
  }

  private Path write(String name, long size, long seed) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    var random = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(p)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        o.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void filesOfEverySizeArriveByteIdenticalInOneInvocation(Transport t) throws IOException {
    start(t);
    var names = List.of("zero.bin", "one.bin", "mib.bin", "docs/报告.pdf", "big/hundred.bin");
    long[] sizes = {0, 1, 1 << 20, 12345, 100L << 20};
    for (int i = 0; i < names.size(); i++) {
      write(names.get(i), sizes[i], i);
    }
    var args = new ArrayList<>(List.of("get", address(), "-o", out.toString(), "--json"));
    args.addAll(names);
    var r = run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    for (String name : names) {
      String local = "[接收]" + name.substring(name.lastIndexOf('/') + 1);
      assertEquals(
          TestFiles.sha256(root.resolve(name)), TestFiles.sha256(out.resolve(local)), name);
    }
    assertEquals(5, r.events("done").size());
  }

  // A part started over, and a resumable one with a sidecar.
  @ParameterizedTest(name = "{0}, {1} bytes")
  @CsvSource({"PLAIN, 1000", "PLAIN, 300000", "TLS, 1000", "TLS, 300000"})
  void aPartLeftAsASecondNameOfTheFileByACrashIsNeverWrittenThrough(Transport t, long size)
      throws IOException {
    start(t);
    write("x.bin", size, 1);
    Files.createDirectories(out);
    Path dest = out.resolve("[接收]x.bin");
    Files.writeString(dest, "the old file");
    // A crash between the link that named a complete file and the removal of its part name.
    Files.createLink(out.resolve(".[接收]x.bin.part"), dest);
    Path keep = Files.createLink(tmp.resolve("keep"), dest); // watches the old file's content

    var refused = run("get", address(), "x.bin", "-o", out.toString(), "--retries", "0");
    assertEquals(ExitCodes.SOME_FAILED, refused.exit(), refused::toString);
    assertFalse(Files.exists(out.resolve(".[接收]x.bin.part")), "the left-over part name is gone");

    Files.createLink(out.resolve(".[接收]x.bin.part"), dest);
    var r = run("get", address(), "x.bin", "-o", out.toString(), "--overwrite", "--retries", "0");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(root.resolve("x.bin")), TestFiles.sha256(dest));
    assertEquals("the old file", Files.readString(keep), "replaced, not written in place");
    try (var left = Files.list(out)) {
      assertEquals(List.of(dest), left.toList(), "no part name left");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void verifyAgreesWithTheServersDigest(Transport t) throws IOException {
    start(t);
    Path f = write("v/data.bin", 3 << 20, 9);
    var r = run("get", address(), "v/data.bin", "-o", out.toString(), "--verify", "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(f), r.events("done").get(0).get("sha256"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void missingFileAndTraversalAreClearErrors(Transport t) throws IOException {
    start(t);
    write("ok.txt", 3, 1);
    Path secret = Files.writeString(server.outside().resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape.txt"), secret);
    var r =
        run(
            "get",
            address(),
            "ok.txt",
            "nope.txt",
            "../secret.txt",
            "escape.txt",
            "-o",
            out.toString(),
            "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    var failed = r.events("failed");
    assertEquals(3, failed.size(), r::toString);
    assertEquals("INVALID_NAME", failed.get(0).get("error"), "refused by the client, never sent");
    assertEquals(
        "NOT_FOUND",
        failed.stream()
            .filter(m -> m.get("name").equals("nope.txt"))
            .findFirst()
            .orElseThrow()
            .get("error"));
    assertTrue(
        failed.stream().anyMatch(m -> m.get("name").equals("escape.txt")),
        "the server refuses a link out of its root");
    assertFalse(Files.exists(out.resolve("[接收]escape.txt")));
    assertTrue(Files.exists(out.resolve("[接收]ok.txt")));
    assertFalse(Files.exists(out.resolve("[接收]secret.txt")));
    assertFalse(Files.exists(out.resolve("[接收]nope.txt")));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void listShowsWhatTheServerServes(Transport t) throws IOException {
    start(t);
    write("a.txt", 5, 1);
    write("docs/报告.pdf", 10, 2);
    var r = run("list", address(), "-r", "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(
        List.of("a.txt", "docs", "docs/报告.pdf"),
        r.json().stream().map(m -> m.get("name")).toList());
    assertEquals(10L, r.json().get(2).get("size"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void bulkGlobAndTreeOverPipelinedConnections(Transport t) throws IOException {
    start(t);
    var names = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String name = "bulk/d" + (i % 10) + "/f" + i + ".dat";
      Files.createDirectories(root.resolve(name).getParent());
      Files.write(root.resolve(name), TestFiles.random(4096, i));
      names.append(name).append('\n');
    }
    var r =
        Cli.runWithInput(
            names.toString(),
            client("get", address(), "-i", "-", "-j", "4", "-o", out.toString(), "--json"));
    assertEquals(0, r.exit(), r::toString);
    assertEquals(2000, r.events("done").size());
    assertEquals(
        TestFiles.sha256(root.resolve("bulk/d7/f1237.dat")),
        TestFiles.sha256(out.resolve("[接收]f1237.dat")));

    var tree =
        run("get", address(), "-r", "bulk/d3", "-o", tmp.resolve("tree").toString(), "-j", "2");
    assertEquals(0, tree.exit(), tree::toString);
    try (var s = Files.list(tmp.resolve("tree/[接收]d3"))) {
      assertEquals(200, s.count());
    }
    var glob =
        run("get", address(), "bulk/*/f19*.dat", "-o", tmp.resolve("glob").toString(), "--json");
    assertEquals(0, glob.exit(), glob::toString);
    assertEquals(111, glob.events("done").size(), "f19, f190..f199, f1900..f1999");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void cutTransferResumesAgainstTheRealServer(Transport t) throws Exception {
    start(t);
    Path f = write("r/big.bin", 4 << 20, 3);
    try (var proxy = FaultProxy.cut(server.address().getPort(), 2 << 20)) {
      var first = run("get", proxy.address(), "r/big.bin", "-o", out.toString(), "--retries", "0");
      assertEquals(ExitCodes.SOME_FAILED, first.exit(), first::toString);
      assertFalse(Files.exists(out.resolve("[接收]big.bin")));
      var second =
          run("get", proxy.address(), "r/big.bin", "-o", out.toString(), "--json", "--verify");
      assertEquals(0, second.exit(), second::toString);
      assertTrue((Long) second.events("start").get(0).get("offset") > 0, second::toString);
      assertEquals(TestFiles.sha256(f), TestFiles.sha256(out.resolve("[接收]big.bin")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void stdoutStreamsTheFile(Transport t) throws IOException {
    start(t);
    write("s.bin", 70_000, 5);
    var r = run("get", address(), "s.bin", "-o", "-");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(root.resolve("s.bin")), TestFiles.sha256(r.raw()));
    assertEquals("", r.err());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void aStalledLinkTimesOutKeepsWhatArrivedAndResumes(Transport t) throws Exception {
    start(t);
    Path f = write("s/big.bin", 4 << 20, 4);
    Path part = out.resolve(".[接收]big.bin.part");
    long kept;
    try (var proxy = FaultProxy.stall(server.address().getPort(), 1 << 20)) {
      var stalled =
          run(
              "get",
              proxy.address(),
              "s/big.bin",
              "-o",
              out.toString(),
              "--retries",
              "0",
              "--timeout",
              "1");
      assertEquals(ExitCodes.SOME_FAILED, stalled.exit(), stalled::toString);
      assertTrue(
          stalled.err().contains("no data from " + proxy.address() + " for 1 s"),
          stalled::toString);
      assertFalse(Files.exists(out.resolve("[接收]big.bin")));
      kept = Files.size(part);
      assertTrue(kept > 0 && kept < 1 << 20, "the part holds what passed the proxy: " + kept);
    }
    var resumed = run("get", address(), "s/big.bin", "-o", out.toString(), "--json");
    assertEquals(0, resumed.exit(), resumed::toString);
    assertEquals(kept, resumed.events("start").get(0).get("offset"), "resumed where it stalled");
    assertEquals(TestFiles.sha256(f), TestFiles.sha256(out.resolve("[接收]big.bin")));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void aLinkThatDribblesStillDeliversEveryByte(Transport t) throws Exception {
    start(t);
    Path f = write("slow.bin", 1500, 6);
    try (var proxy = FaultProxy.dribble(server.address().getPort(), 1000)) {
      var r = run("get", proxy.address(), "slow.bin", "-o", out.toString(), "--retries", "0");
      assertEquals(0, r.exit(), r::toString);
      assertEquals(TestFiles.sha256(f), TestFiles.sha256(out.resolve("[接收]slow.bin")));
      assertTrue(
          proxy.dribbled() >= 500,
          "at least the body's last 500 bytes came one by one: " + proxy.dribbled());
    }
  }
}
