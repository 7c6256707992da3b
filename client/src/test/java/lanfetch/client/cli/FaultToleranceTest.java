package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.DirectoryWatcher;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServer.RecordedRequest;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.protocol.GetRequest;
import lanfetch.testing.FaultProxy;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cut connections and lying servers: no final file ever appears early or incomplete, partial files
 * resume byte-identically, and a changed server file is never spliced.
 */
class FaultToleranceTest extends FakeServerTest {
  private static final int SIZE = 1 << 20;

  /** WELCOME frame from the fake: 4 + 1 + 2 + 4 + 2 + "fake/1". */
  private static final int WELCOME = 4 + 1 + 2 + 4 + 2 + 6;

  /** GET_HEADER frame: 4 + 1 + 4 * 8. */
  private static final int HEADER = 4 + 1 + 32;

  @TempDir Path dir;
  final byte[] data = TestFiles.random(SIZE, 7);

  @BeforeEach
  void start() {
    server.put("d/big.bin", data);
  }

  private Path finalFile() {
    return dir.resolve("[接收]big.bin");
  }

  @ParameterizedTest(name = "cut after {0} bytes")
  @ValueSource(
      longs = {
        0,
        1,
        WELCOME - 1,
        WELCOME + 1,
        WELCOME + HEADER - 1,
        WELCOME + HEADER + 1,
        WELCOME + HEADER + SIZE / 2,
        WELCOME + HEADER + SIZE - 1
      })
  void cutConnectionResumesByteIdentical(long cut) throws Exception {
    try (var proxy = FaultProxy.cut(server.port(), cut)) {
      var watcher = new DirectoryWatcher(finalFile(), -1);
      var first =
          Cli.run("get", proxy.address(), "d/big.bin", "-o", dir.toString(), "--retries", "0");
      assertNull(watcher.stop(), "final name appeared during the cut run");
      assertTrue(watcher.polls() > 0);
      assertNotEquals(0, first.exit(), first::toString);
      assertFalse(Files.exists(finalFile()));
      assertEquals(1, first.err().lines().count(), first::toString);

      long kept =
          Files.exists(dir.resolve(".[接收]big.bin.part"))
              ? Files.size(dir.resolve(".[接收]big.bin.part"))
              : 0;
      assertEquals(Math.max(0, cut - WELCOME - HEADER), kept, "the partial holds what arrived");

      var watch2 = new DirectoryWatcher(finalFile(), SIZE);
      var second = Cli.run("get", proxy.address(), "d/big.bin", "-o", dir.toString(), "--json");
      assertNull(watch2.stop());
      assertEquals(0, second.exit(), second::toString);
      assertEquals(kept, second.events("start").get(0).get("offset"), "resumed where it stopped");
      assertEquals(TestFiles.sha256(data), TestFiles.sha256(finalFile()));
      assertFalse(Files.exists(dir.resolve(".[接收]big.bin.part")));
      assertFalse(Files.exists(dir.resolve(".[接收]big.bin.part.meta")));
    }
  }

  @Test
  void retriesWithinOneRunResume() throws Exception {
    int hashResult = 4 + 1 + 8 + 8 + 32; // --verify asks HASH first; its answer comes first
    try (var proxy = FaultProxy.cut(server.port(), WELCOME + hashResult + HEADER + SIZE / 3)) {
      var r =
          Cli.run(
              "get",
              proxy.address(),
              "d/big.bin",
              "-o",
              dir.toString(),
              "--retries",
              "2",
              "--retry-wait",
              "1",
              "--verify");
      assertEquals(0, r.exit(), r::toString);
      assertEquals(TestFiles.sha256(data), TestFiles.sha256(finalFile()));
      var gets = server.takeAll(Kind.GET);
      assertEquals(SIZE / 3, gets.get(gets.size() - 1).offset());
    }
  }

  @Test
  void changedServerFileRestartsFromZeroInsteadOfSplicing() throws Exception {
    try (var proxy = FaultProxy.cut(server.port(), WELCOME + HEADER + SIZE / 2)) {
      assertNotEquals(
          0,
          Cli.run("get", proxy.address(), "d/big.bin", "-o", dir.toString(), "--retries", "0")
              .exit());
      byte[] changed = TestFiles.random(SIZE, 8);
      server.put("d/big.bin", changed, 1_800_000_000_000L);
      var r = Cli.run("get", proxy.address(), "d/big.bin", "-o", dir.toString(), "--retries", "0");
      assertEquals(0, r.exit(), r::toString);
      assertEquals(TestFiles.sha256(changed), TestFiles.sha256(finalFile()));
      assertEquals(List.of(0L, (long) SIZE / 2, 0L), offsets());
    }
  }

  @Test
  void partWithoutSidecarIsNeverResumed() throws Exception {
    Files.write(dir.resolve(".[接收]big.bin.part"), new byte[SIZE / 2]); // zeros: not the data
    var r = Cli.run("get", server.address(), "d/big.bin", "-o", dir.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(data), TestFiles.sha256(finalFile()));
    assertEquals(List.of(0L), offsets());
  }

  @Test
  void shortBodyFailsWithoutFinalFileAndKeepsThePart() throws Exception {
    server.setDefault(Fault.SHORT_BODY.by(1000)); // the retry too
    var watcher = new DirectoryWatcher(finalFile(), -1);
    var r =
        Cli.run(
            "get",
            server.address(),
            "d/big.bin",
            "-o",
            dir.toString(),
            "--retries",
            "1",
            "--retry-wait",
            "1",
            "--json");
    assertNull(watcher.stop());
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("SHORT_BODY", r.events("failed").get(0).get("error"));
    assertTrue(r.err().contains("ended after"), r::toString);
    assertFalse(Files.exists(finalFile()));
    assertEquals(SIZE - 1000, Files.size(dir.resolve(".[接收]big.bin.part")));
  }

  @Test
  void longBodyIsCaughtBeforeTheRename() throws Exception {
    server.setDefault(Fault.LONG_BODY.by(7)); // the retry too
    var watcher = new DirectoryWatcher(finalFile(), -1);
    var r =
        Cli.run(
            "get",
            server.address(),
            "d/big.bin",
            "-o",
            dir.toString(),
            "--retries",
            "1",
            "--retry-wait",
            "1",
            "--json");
    assertNull(watcher.stop());
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("BAD_BODY", r.events("failed").get(0).get("error"));
    assertFalse(Files.exists(finalFile()));
  }

  @Test
  void longBodyOfASmallFileInABatchIsCaught() throws Exception {
    server.put("small", new byte[100]);
    server.setDefault(Fault.LONG_BODY.by(3));
    var r =
        Cli.run(
            "get",
            server.address(),
            "small",
            "d/big.bin",
            "-o",
            dir.toString(),
            "--retries",
            "0",
            "-j",
            "1");
    // The extra bytes stand where big.bin's header should: the server broke the protocol in
    // that answer, and the run says so (issue 14 item 7).
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertFalse(Files.exists(dir.resolve("[接收]small")));
  }

  @Test
  void aCutInABatchOfSmallFilesLeavesOnlyCompleteFilesUnderFinalNames() throws Exception {
    int files = 200;
    int size = 1000;
    var names = new ArrayList<String>();
    for (int i = 0; i < files; i++) {
      names.add(String.format("s/f%03d", i));
      server.put(names.get(i), TestFiles.random(size, i));
    }
    // Pipelined answers go out back to back: cut in the middle of the body of file 100, with
    // the files before it received whole and waiting in a batch to be committed.
    long cut = WELCOME + 100L * (HEADER + size) + HEADER + size / 2;
    try (var proxy = FaultProxy.cut(server.port(), cut)) {
      var first = Cli.run(get(proxy, names, "--retries", "0"));
      assertEquals(ExitCodes.SOME_FAILED, first.exit(), first::toString);
      assertEquals(
          List.of("s/f100"),
          first.events("failed").stream().map(e -> e.get("name")).toList(),
          first::toString);
      for (int i = 0; i < files; i++) {
        Path f = dir.resolve(String.format("[接收]f%03d", i));
        if (i == 100) {
          assertFalse(Files.exists(f), "the cut file has no final name");
        } else {
          assertEquals(
              TestFiles.sha256(TestFiles.random(size, i)), TestFiles.sha256(f), f.toString());
        }
      }

      var second = Cli.run(get(proxy, names, "--skip-existing"));
      assertEquals(0, second.exit(), second::toString);
      assertEquals(1, second.events("done").size(), second::toString);
      assertEquals(
          TestFiles.sha256(TestFiles.random(size, 100)), TestFiles.sha256(dir.resolve("[接收]f100")));
      try (var left = Files.list(dir)) {
        assertEquals(files, left.count(), "no part file is left");
      }
    }
  }

  @Test
  void aSmallFileBeforeALongBodyGetsItsFinalNameWhileTheBodyIsStillComing() throws Exception {
    byte[] small = TestFiles.random(1000, 3);
    server.put("a/small.txt", small);
    server.enqueue(
        Fault.STALL_BODY.by(SIZE / 4).forPath("d/big.bin")); // stops there until released
    var run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    "get",
                    server.address(),
                    "a/small.txt",
                    "d/big.bin",
                    "-o",
                    dir.toString(),
                    "-j",
                    "1",
                    "--retries",
                    "0"));
    try {
      Path done = dir.resolve("[接收]small.txt");
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(done) && System.nanoTime() < deadline && !run.isDone()) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll, gently
      }
      assertFalse(run.isDone(), "the big body is still stalled");
      assertEquals(TestFiles.sha256(small), TestFiles.sha256(done));
    } finally {
      server.release();
    }
    assertEquals(ExitCodes.SOME_FAILED, run.get(30, java.util.concurrent.TimeUnit.SECONDS).exit());
    assertFalse(Files.exists(finalFile()));
  }

  private List<Long> offsets() {
    return server.takeAll(Kind.GET).stream().map(RecordedRequest::offset).toList();
  }

  private String[] get(FaultProxy proxy, List<String> names, String... options) {
    var args =
        new ArrayList<>(List.of("get", proxy.address(), "-o", dir.toString(), "-j", "1", "--json"));
    args.addAll(names);
    args.addAll(List.of(options));
    return args.toArray(String[]::new);
  }

  @Test
  void aListingAnsweredBusyIsAskedAgainOnANewConnection() throws Exception {
    server.enqueue(Fault.BUSY_LISTING);
    var r = Cli.run("get", server.address(), "-r", "d", "-o", dir.toString(), "--retry-wait", "1");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(data), TestFiles.sha256(dir.resolve("[接收]d/big.bin")));
    var lists = server.takeAll(Kind.LIST);
    assertEquals(2, lists.size(), lists::toString);
    assertTrue(
        lists.get(1).connection() > lists.get(0).connection(), "asked again on a new connection");
  }

  @Test
  void aListingStillBusyAfterTheRetriesEndsTheRunAsRefused() throws Exception {
    server.setDefault(Fault.BUSY_LISTING);
    var r =
        Cli.run(
            "get",
            server.address(),
            "-r",
            "d",
            "-o",
            dir.toString(),
            "--retries",
            "2",
            "--retry-wait",
            "1");
    assertEquals(ExitCodes.REFUSED, r.exit(), r::toString);
    assertTrue(r.err().contains("too many listings at once"), r::toString);
    assertEquals(3, server.takeAll(Kind.LIST).size(), "one LIST and two retries");
    assertFalse(Files.exists(dir.resolve("[接收]d")), "nothing planned, nothing written");
  }

  @Test
  void hugeAnnouncedSizeIsRefusedForLackOfSpace() throws Exception {
    server.enqueue(Fault.HUGE_SIZE);
    var r =
        Cli.run(
            "get", server.address(), "d/big.bin", "-o", dir.toString(), "--retries", "0", "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("NO_SPACE", r.events("failed").get(0).get("error"));
    assertTrue(r.err().contains("bytes are free"), r::toString);
    assertFalse(Files.exists(finalFile()));
  }

  @Test
  void wrongDigestIsAMismatchAndNothingIsKept() throws Exception {
    server.enqueue(Fault.WRONG_DIGEST);
    var r =
        Cli.run(
            "get",
            server.address(),
            "d/big.bin",
            "-o",
            dir.toString(),
            "--verify",
            "--retries",
            "0",
            "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("CHECKSUM_MISMATCH", r.events("failed").get(0).get("error"));
    assertFalse(Files.exists(finalFile()));
    assertFalse(
        Files.exists(dir.resolve(".[接收]big.bin.part")), "a corrupt part must not be resumed");
  }

  @Test
  void traversalNamesInListingsAreRefusedAndNothingLandsOutside() throws Exception {
    for (String evil :
        new String[] {
          "../evil.txt",
          "/etc/evil.txt",
          "a/../../evil.txt",
          "c:evil.txt",
          "a\\..\\evil.txt",
          "NUL.txt",
          "bell\u0007.txt"
        }) {
      server.lieInListings(
          new lanfetch.protocol.Entry(lanfetch.protocol.EntryKind.FILE, 3, 0, evil));
    }
    server.put("t/ok.txt", new byte[3]);
    Path out = dir.resolve("out");
    var r =
        Cli.run("get", server.address(), "**", "-o", out.toString(), "--json", "--retries", "0");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals(7, r.events("failed").size(), r::toString);
    assertTrue(
        r.events("failed").stream().allMatch(m -> m.get("error").equals("UNSAFE_NAME")),
        r::toString);
    assertEquals(
        List.of("d/big.bin", "t/ok.txt"),
        server.takeAll(Kind.GET).stream()
            .map(g -> ((GetRequest) g.message()).path())
            .sorted()
            .toList(),
        "only d/big.bin and t/ok.txt are requested");
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "nothing written beside the output directory");
    }
    assertTrue(Files.exists(out.resolve("[接收]t/ok.txt")), "a ** glob keeps server paths");
    Path treeOut = out.resolve("tree");
    var tree =
        Cli.run(
            "get",
            server.address(),
            "-r",
            "t",
            "-o",
            treeOut.toString(),
            "--json",
            "--retries",
            "0");
    assertEquals(7, tree.events("failed").size(), tree::toString);
    assertTrue(Files.exists(treeOut.resolve("[接收]t/ok.txt")));
  }
}
