package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lanfetch.server.AccessRecord;
import lanfetch.server.ServerExtension;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --update --delete}: a tree mirrored, changed on the server in every way a tree changes,
 * mirrored again. The second run fetches exactly what changed (counted in the server's access log)
 * and ends byte-identical with the server's tree, times included; a third has nothing to do and
 * costs one listing.
 */
class MirrorTest {
  static final long T0 = 1_700_000_000_000L;
  static final long T1 = 1_700_000_100_000L;
  static final long T2 = 1_700_000_200_000L;
  static final int DIRS = 30;
  static final int FILES = 100;

  @TempDir Path tmp;
  Path tree;
  Path out;
  Path local;
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void paths() {
    tree = server.root().resolve("tree");
    out = tmp.resolve("out");
    local = out.resolve("[接收]tree");
  }

  /** The server's tree: {@code dirs} directories of {@code files} small files each. */
  void build(int dirs, int files) throws IOException {
    for (int d = 0; d < dirs; d++) {
      Path dir = Files.createDirectories(tree.resolve(dirName(d)));
      for (int f = 0; f < files; f++) {
        Path file = dir.resolve(String.format("f%03d.txt", f));
        Files.writeString(file, "file " + d + "/" + f + "\n" + "x".repeat(f));
        Files.setLastModifiedTime(file, FileTime.fromMillis(T0));
      }
    }
  }

  static String dirName(int d) {
    return String.format("d%02d", d);
  }

  Cli.Result mirror(String... more) {
    var args =
        new ArrayList<>(
            List.of(
                "get",
                server.hostPort(),
                "-r",
                "tree",
                "-o",
                out.toString(),
                "--update",
                "--delete"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  long requests(String kind) {
    return server.log().access.stream().filter(r -> r.request().equals(kind)).count();
  }

  @Test
  void aSecondRunFetchesExactlyWhatChangedAndEndsIdenticalTimesIncluded() throws IOException {
    build(DIRS, FILES);
    var first = mirror("--json");
    assertEquals(0, first.exit(), first::toString);
    assertEquals(DIRS * FILES, first.events("done").size());
    assertEquals(snapshot(tree, true), snapshot(local, false), "the first run is a copy");

    // Every way a tree changes.
    for (int f = 0; f < 5; f++) {
      Path sameSize = tree.resolve("d01").resolve(String.format("f%03d.txt", f));
      Files.writeString(sameSize, Files.readString(sameSize).toUpperCase());
      Files.setLastModifiedTime(sameSize, FileTime.fromMillis(T1));
      Path newTime = tree.resolve("d02").resolve(String.format("f%03d.txt", f));
      Files.setLastModifiedTime(newTime, FileTime.fromMillis(T2));
      Path grown = tree.resolve("d03").resolve(String.format("f%03d.txt", f));
      Files.writeString(grown, "more\n", java.nio.file.StandardOpenOption.APPEND);
      Files.delete(tree.resolve("d04").resolve(String.format("f%03d.txt", f)));
    }
    deleteTree(tree.resolve("d05"));
    Files.delete(tree.resolve("d06/f000.txt")); // a file becomes a directory
    Files.createDirectories(tree.resolve("d06/f000.txt"));
    Files.writeString(tree.resolve("d06/f000.txt/inner.txt"), "inner");
    deleteTree(tree.resolve("d07")); // a directory becomes a file
    Files.writeString(tree.resolve("d07"), "now a file");
    Files.createSymbolicLink(tree.resolve("link.txt"), Path.of("d08/f000.txt")); // served as a file
    server.log().access.clear();

    var second = mirror("--json");
    assertEquals(0, second.exit(), second::toString);
    assertEquals(18, requests("GET"), "15 changed files, inner.txt, d07 and link.txt");
    assertEquals(0, requests("HASH"));
    assertEquals(snapshot(tree, true), snapshot(local, false), second::toString);

    var summary = second.events("summary").get(0);
    assertEquals(2L, summary.get("new"), second::toString); // inner.txt, link.txt
    assertEquals(16L, summary.get("updated"), second::toString); // 15 files, and d07
    assertEquals(2797L - 18, summary.get("unchanged"), second::toString);
    assertEquals(5L + 101 + 1 + 101, summary.get("deleted"), second::toString);
    assertEquals(0L, summary.get("failed"));
    assertEquals(16, second.events("updated").size());
    assertEquals(2779, second.events("unchanged").size());
    assertEquals(208, second.events("deleted").size());

    server.log().access.clear();
    var third = mirror();
    assertEquals(0, third.exit(), third::toString);
    assertEquals("", third.out());
    assertEquals(1, third.err().lines().count(), "one summary line: " + third);
    assertTrue(
        third.err().startsWith("lanfetch: 0 new, 0 updated, 2797 unchanged, 0 deleted, 0 failed"),
        third::toString);
    assertEquals(
        List.of("LIST-R"),
        server.log().access.stream().map(AccessRecord::request).toList(),
        "a run with nothing to do costs one listing: no GET, no HASH, no STAT");
  }

  @Test
  void deleteRemovesALinkItselfNeverWhatItLeadsTo() throws IOException {
    build(3, 20);
    assertEquals(0, mirror().exit());
    Path outsideDir = Files.createDirectories(tmp.resolve("outside"));
    Path outsideFile = Files.writeString(outsideDir.resolve("precious.txt"), "precious");
    Files.createSymbolicLink(local.resolve("d00/to-dir"), outsideDir);
    Files.createSymbolicLink(local.resolve("to-file"), outsideFile);
    deleteTree(local.resolve("d01"));
    Files.createSymbolicLink(local.resolve("d01"), outsideDir); // a link where a listed dir belongs

    var r = mirror("--json");
    assertEquals(0, r.exit(), r::toString);
    assertFalse(Files.exists(local.resolve("d00/to-dir"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(local.resolve("to-file"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isDirectory(local.resolve("d01"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("precious", Files.readString(outsideFile), "the link's target is untouched");
    try (Stream<Path> s = Files.list(outsideDir)) {
      assertEquals(1, s.count());
    }
    assertEquals(snapshot(tree, true), snapshot(local, false));
  }

  @Test
  void aTreeRootThatIsALinkIsNeitherFollowedNorReplaced() throws IOException {
    Files.createDirectories(tree);
    Files.write(tree.resolve("app.log"), TestFiles.random(400_000, 8));
    Files.setLastModifiedTime(tree, FileTime.fromMillis(T0));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.write(elsewhere.resolve("app.log"), TestFiles.random(300_000, 8)); // a "prefix"
    Files.writeString(elsewhere.resolve("mine.txt"), "not the server's");
    Files.setLastModifiedTime(elsewhere, FileTime.fromMillis(T1));
    Files.createDirectories(out);
    Files.createSymbolicLink(local, elsewhere);

    var r = mirror();
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("symbolic link"), r::toString);
    try (Stream<Path> s = Files.list(elsewhere)) {
      assertEquals(2, s.count(), "no part, nothing deleted there: " + r);
    }
    assertEquals(T1, Files.getLastModifiedTime(elsewhere).toMillis(), "its time untouched");
    assertTrue(Files.isSymbolicLink(local), "the user's link stays");
  }

  @Test
  void theWholeShareRemovesOnlyWhatCarriesThePrefix() throws IOException {
    build(1, 2);
    Files.writeString(server.root().resolve("top.txt"), "top");
    Files.createDirectories(out);
    Files.writeString(out.resolve("mine.txt"), "the user's own file");
    Files.writeString(out.resolve("[接收]gone.txt"), "fetched once, gone from the server");
    Files.createDirectories(out.resolve("[接收]old-dir/sub"));

    var r =
        Cli.run(
            "get",
            server.hostPort(),
            "-r",
            ".",
            "-o",
            out.toString(),
            "--update",
            "--delete",
            "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("the user's own file", Files.readString(out.resolve("mine.txt")));
    assertFalse(Files.exists(out.resolve("[接收]gone.txt")));
    assertFalse(Files.exists(out.resolve("[接收]old-dir")));
    assertEquals("top", Files.readString(out.resolve("[接收]top.txt")));
    assertEquals(snapshot(tree, true), snapshot(local, false));
    assertEquals(3, r.events("deleted").size(), r::toString);
  }

  @Test
  void aFailedListingDeletesNothing() throws IOException {
    build(3, 20);
    assertEquals(0, mirror().exit());
    Files.delete(tree.resolve("d00/f000.txt"));
    var r = mirror("-r", "no-such-dir");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("--delete skipped"), r::toString);
    assertTrue(Files.exists(local.resolve("d00/f000.txt")), "kept: the run was not clean");
  }

  @Test
  void aDryRunShowsWhatWouldChangeAndTouchesNothing() throws IOException {
    build(3, 20);
    assertEquals(0, mirror().exit());
    Files.delete(tree.resolve("d00/f000.txt"));
    Files.writeString(tree.resolve("d00/f001.txt"), "changed");
    Files.writeString(tree.resolve("new.txt"), "new");
    Map<String, String> before = snapshot(local, false);

    var r = mirror("--dry-run");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(before, snapshot(local, false), "nothing touched");
    var lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r::toString);
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("tree/d00/f001.txt -> ") && l.endsWith("[replace]")),
        r::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("tree/new.txt -> ")), r::toString);
    assertTrue(lines.contains("delete " + local.resolve("d00/f000.txt")), r::toString);

    var json = mirror("--dry-run", "--json");
    assertEquals(0, json.exit(), json::toString);
    assertEquals(
        List.of("delete", "fetch", "replace"),
        json.events("plan").stream().map(e -> (String) e.get("action")).sorted().toList(),
        json::toString);
    assertEquals(before, snapshot(local, false), "still nothing touched");
  }

  @Test
  void checksumFindsAChangeWhoseSizeAndTimeWereRestored() throws IOException {
    build(3, 20);
    assertEquals(0, mirror().exit());
    Path file = tree.resolve("d00/f010.txt");
    Files.writeString(file, Files.readString(file).toUpperCase()); // same size
    Files.setLastModifiedTime(file, FileTime.fromMillis(T0)); // same time
    Path touched = tree.resolve("d00/f011.txt");
    Files.setLastModifiedTime(touched, FileTime.fromMillis(T1)); // same content

    var quick = mirror();
    assertEquals(0, quick.exit(), quick::toString);
    assertTrue(quick.err().contains("1 updated"), "the time alone changed: " + quick);
    assertEquals("file 0/10\nxxxxxxxxxx", Files.readString(local.resolve("d00/f010.txt")));

    Files.setLastModifiedTime(touched, FileTime.fromMillis(T2));
    server.log().access.clear();
    var sums = mirror("--checksum");
    assertEquals(0, sums.exit(), sums::toString);
    assertEquals("FILE 0/10\nXXXXXXXXXX", Files.readString(local.resolve("d00/f010.txt")));
    assertEquals(1, requests("GET"), "only the file whose content differs: " + sums);
    assertEquals(3 * 20, requests("HASH"));
    assertEquals(
        T2,
        Files.getLastModifiedTime(local.resolve("d00/f011.txt")).toMillis(),
        "same content: the local copy takes the server's time");
  }

  @Test
  void aCutReplacementLeavesTheOldFileWholeAndTheNextRunFinishesIt() throws Exception {
    Files.createDirectories(tree);
    byte[] old = TestFiles.random(2 << 20, 1);
    byte[] fresh = TestFiles.random(2 << 20, 2);
    Path big = Files.write(tree.resolve("big.bin"), old);
    assertEquals(0, mirror().exit());
    Files.write(big, fresh); // same size, new content and time
    Files.setLastModifiedTime(big, FileTime.fromMillis(T1));

    try (var gate = new GateProxy(server.address().getPort(), 1 << 20)) {
      var run =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      "get",
                      gate.address(),
                      "-r",
                      "tree",
                      "-o",
                      out.toString(),
                      "--update",
                      "--delete",
                      "--retries",
                      "0"));
      gate.awaitHeld(1); // the listing passed; the download holds after 1 MiB
      assertEquals(TestFiles.sha256(old), TestFiles.sha256(local.resolve("big.bin")));
      gate.cut();
      var cut = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(cut.exit() != 0, cut::toString);
      assertTrue(cut.err().contains("--delete skipped"), cut::toString);
    }
    assertEquals(
        TestFiles.sha256(old),
        TestFiles.sha256(local.resolve("big.bin")),
        "the old copy stays whole under its name");
    assertTrue(Files.size(local.resolve(".big.bin.part")) > 0, "and the new one's part is kept");

    var next = mirror("--json");
    assertEquals(0, next.exit(), next::toString);
    assertEquals(TestFiles.sha256(fresh), TestFiles.sha256(local.resolve("big.bin")));
    assertTrue((Long) next.events("start").get(0).get("offset") > 0, "resumed: " + next);
    assertEquals(1, next.events("updated").size(), next::toString);
    assertFalse(Files.exists(local.resolve(".big.bin.part")));
  }

  @Test
  void deleteKeepsThePartAnotherRunIsWriting() throws Exception {
    Files.createDirectories(tree);
    Files.write(tree.resolve("big.bin"), TestFiles.random(2 << 20, 3));
    Files.writeString(tree.resolve("small.txt"), "small");
    Files.createDirectories(local);
    Files.writeString(local.resolve(".stale.bin.part"), "left by a run long gone");
    Files.writeString(local.resolve(".stale.bin.part.meta"), "lanfetch-part 1\n9 9\n");

    try (var gate = new GateProxy(server.address().getPort(), 1 << 20)) {
      // The other run fetches big.bin alone, where a tree would land it (-x): asked for the
      // whole tree, its one connection could also take small.txt behind big.bin, which the
      // gate holds, and keep that part too.
      var other =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      "get",
                      gate.address(),
                      "tree/big.bin",
                      "-x",
                      "-o",
                      out.toString(),
                      "--update"));
      gate.awaitHeld(1); // the other run writes big.bin's part, and holds it
      Files.delete(tree.resolve("big.bin")); // now the server no longer lists it

      var r = mirror("--json");
      assertEquals(0, r.exit(), r::toString);
      assertTrue(Files.exists(local.resolve(".big.bin.part")), "another run's part: kept");
      assertFalse(Files.exists(local.resolve(".stale.bin.part")), "a part nobody holds: gone");
      assertFalse(Files.exists(local.resolve(".stale.bin.part.meta")));
      assertEquals("small", Files.readString(local.resolve("small.txt")));
      gate.cut();
      other.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileThatOnlyGrewIsFetchedFromWhereTheCopyEnds() throws IOException {
    Files.createDirectories(tree);
    byte[] log = TestFiles.random(1 << 20, 4);
    byte[] other = TestFiles.random(1 << 20, 5);
    Path grown = Files.write(tree.resolve("app.log"), log);
    Path rewritten = Files.write(tree.resolve("other.log"), other);
    assertEquals(0, mirror().exit());
    byte[] tail = TestFiles.random(100_000, 6);
    Files.write(grown, tail, java.nio.file.StandardOpenOption.APPEND);
    other[0] ^= 1; // a different prefix, and longer: no proof, fetched whole
    Files.write(rewritten, other);
    Files.write(rewritten, tail, java.nio.file.StandardOpenOption.APPEND);
    server.log().access.clear();

    var r = mirror("--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(TestFiles.sha256(grown), TestFiles.sha256(local.resolve("app.log")));
    assertEquals(TestFiles.sha256(rewritten), TestFiles.sha256(local.resolve("other.log")));
    Map<Object, Object> bytes = new TreeMap<>();
    for (var e : r.events("updated")) {
      bytes.put(e.get("name"), e.get("bytes"));
    }
    assertEquals(100_000L, bytes.get("tree/app.log"), "only the tail moved: " + r);
    assertEquals((1L << 20) + 100_000, bytes.get("tree/other.log"), r::toString);
    assertEquals(2, requests("HASH"), "one HASH_RANGE per grown file");
    assertEquals(snapshot(tree, true), snapshot(local, false));
  }

  @Test
  void namesAreComparedThroughOneStatEachAndLandWithTheServersTimeUnlessNoTimes()
      throws IOException {
    build(1, 3);
    var args = List.of("get", server.hostPort(), "tree/d00/f000.txt", "tree/d00/f001.txt");
    var first = Cli.run(concat(args, "-o", out.toString(), "--update"));
    assertEquals(0, first.exit(), first::toString);
    assertEquals(T0, Files.getLastModifiedTime(out.resolve("[接收]f000.txt")).toMillis());
    server.log().access.clear();

    var again = Cli.run(concat(args, "-o", out.toString(), "--update"));
    assertEquals(0, again.exit(), again::toString);
    assertEquals(
        List.of("STAT", "STAT"),
        server.log().access.stream().map(AccessRecord::request).toList(),
        "names not listed are asked with a STAT each, and nothing is fetched");
    assertTrue(again.err().startsWith("lanfetch: 0 new, 0 updated, 2 unchanged"), again::toString);

    Path plain = tmp.resolve("plain");
    var noTimes = Cli.run(concat(args, "-o", plain.toString(), "--no-times"));
    assertEquals(0, noTimes.exit(), noTimes::toString);
    assertTrue(Files.getLastModifiedTime(plain.resolve("[接收]f000.txt")).toMillis() > T1);
  }

  @Test
  void deleteNeedsATreeAndUpdate() {
    for (var args :
        List.of(
            List.of("get", server.hostPort(), "-r", "tree", "--delete"),
            List.of("get", server.hostPort(), "a.txt", "--update", "--delete"),
            List.of("get", server.hostPort(), "a.txt", "--checksum"),
            List.of("get", server.hostPort(), "a.txt", "--update", "--overwrite"))) {
      var r = Cli.run(args.toArray(String[]::new));
      assertEquals(2, r.exit(), r::toString);
    }
  }

  static String[] concat(List<String> first, String... more) {
    var all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /**
   * What the server serves (links followed, as it lists them) or what landed (links not followed):
   * per relative path, kind, size, content digest and modification time in milliseconds.
   */
  static Map<String, String> snapshot(Path root, boolean followLinks) throws IOException {
    var map = new TreeMap<String, String>();
    LinkOption[] options =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    try (Stream<Path> all =
        followLinks
            ? Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)
            : Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        var a = Files.readAttributes(p, BasicFileAttributes.class, options);
        String rel = root.relativize(p).toString();
        long millis = a.lastModifiedTime().toMillis();
        if (a.isDirectory()) {
          map.put(rel + "/", "dir " + millis);
        } else if (a.isRegularFile()) {
          map.put(rel, "file " + a.size() + " " + millis + " " + TestFiles.sha256(p));
        } else {
          map.put(rel, "other");
        }
      }
    }
    return map;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
