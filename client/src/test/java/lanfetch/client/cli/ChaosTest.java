package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lanfetch.server.cli.ServerProcess;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run, short (issue 14, item 4; bench/chaos.sh is the full one): {@value #CLIENTS}
 * clients download a tree of a few big and many small files at once while the server, a process of
 * its own, is killed with SIGKILL mid-wave and restarted on a new port, three times. After each
 * restart the clients of the killed wave are re-run and must all finish with every file
 * byte-identical to the server's and no part file left; then the server's open file descriptors
 * must be back at the count it had before that wave. Clients run in-process through the CLI entry
 * point: what they meet (a server that vanishes mid-body, part files left by the failed run) is the
 * same as in a process of their own, and only the server's death needs to be real. Clients retry,
 * as a user's would: the server answers BUSY past its budget of concurrent listings (eight with a
 * 64 MiB heap), and a retry against the killed server's port is refused, which ends the run with a
 * failure.
 */
class ChaosTest {
  private static final int CLIENTS = 20;
  private static final int KILLS = 3;
  private static final String TREE = "tree";
  private static final String PREFIX = "[接收]";

  @TempDir Path tmp;
  Path root;
  long treeBytes;
  ServerProcess server;
  ExecutorService clients;

  @BeforeEach
  void makeTree() throws IOException {
    root = Files.createDirectory(tmp.resolve("root"));
    Path tree = Files.createDirectories(root.resolve(TREE));
    Files.writeString(root.resolve("warm-up.dat"), "warm");
    int seed = 1;
    for (long size : List.of(3L << 20, 2L << 20, 1L << 20)) {
      treeBytes += write(tree.resolve("big" + seed + ".bin"), size, seed++);
    }
    for (int dir = 0; dir < 4; dir++) {
      Path d = Files.createDirectory(tree.resolve("d" + dir));
      for (int i = 0; i < 10; i++) {
        treeBytes += write(d.resolve("small" + i + ".dat"), 512 + 1637L * (seed % 17), seed++);
      }
    }
    clients = Executors.newFixedThreadPool(CLIENTS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    clients.shutdownNow();
    assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "clients still running");
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyClientEndsByteIdenticalThroughThreeKills() throws Exception {
    List<Path> killedWave = List.of();
    for (int phase = 0; phase <= KILLS; phase++) {
      server = ServerProcess.start(List.of("-Xmx64m"), root, "--quiet");
      long baseline = warmUpAndCountFds(phase);
      if (!killedWave.isEmpty()) {
        rerunToTheEnd(killedWave);
        awaitFds(baseline, phase);
      }
      if (phase == KILLS) {
        break;
      }
      killedWave = waveKilledMidway(phase);
    }
  }

  /** Starts one client per destination and kills the server once a third of the bytes landed. */
  private List<Path> waveKilledMidway(int phase) throws Exception {
    var dirs = new ArrayList<Path>();
    var runs = new ArrayList<Future<Cli.Result>>();
    int port = server.address.getPort();
    for (int c = 0; c < CLIENTS; c++) {
      Path out = tmp.resolve("wave" + phase + "-client" + c);
      dirs.add(out);
      runs.add(clients.submit(() -> get(port, out)));
    }
    awaitLanded(dirs, CLIENTS * treeBytes / 3, runs);
    server.process.destroyForcibly();
    assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "server survived SIGKILL");
    server = null;
    int failed = 0;
    for (var run : runs) {
      failed += run.get(120, TimeUnit.SECONDS).exit() == 0 ? 0 : 1;
    }
    assertTrue(failed > 0, "the kill in wave " + phase + " came after every client had finished");
    return dirs;
  }

  private void rerunToTheEnd(List<Path> dirs) throws Exception {
    var runs = new ArrayList<Future<Cli.Result>>();
    int port = server.address.getPort();
    for (Path out : dirs) {
      runs.add(clients.submit(() -> get(port, out)));
    }
    for (int c = 0; c < dirs.size(); c++) {
      var r = runs.get(c).get(120, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), dirs.get(c) + ": " + r);
      assertSameTree(dirs.get(c));
    }
  }

  /** The port is taken before the client starts: the server field is cleared once it is killed. */
  private static Cli.Result get(int port, Path out) {
    return Cli.run(
        "get",
        "127.0.0.1:" + port,
        "-r",
        TREE,
        "-o",
        out.toString(),
        "-j",
        "2",
        "--retries",
        "6",
        "--retry-wait",
        "20",
        "--timeout",
        "20",
        "-q");
  }

  /**
   * One download first, so that what the server opens once and keeps for good is in the baseline.
   * Of a file beside the tree, not in it: the directory handles a GET below the root keeps are
   * closed after 2 s unused, and must not count in the baseline.
   */
  private long warmUpAndCountFds(int phase) throws IOException {
    var r =
        Cli.run(
            "get",
            "127.0.0.1:" + server.address.getPort(),
            "warm-up.dat",
            "-o",
            tmp.resolve("warm-up" + phase).toString(),
            "-q");
    assertEquals(0, r.exit(), r::toString);
    return awaitSteadyFds();
  }

  /** The fd count once the warm-up connection is gone: the same twice, 20 ms apart. */
  private long awaitSteadyFds() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = fds();
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000);
      long now = fds();
      if (now == last) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /**
   * The server closes a connection when it sees the client's close: wait for that, 10 s at most.
   */
  private void awaitFds(long baseline, int phase) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long now = fds();
    while (now != baseline && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
      now = fds();
    }
    assertEquals(baseline, now, "server fds after phase " + phase + " (baseline " + baseline + ")");
  }

  private long fds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(server.process.pid()), "fd"))) {
      return s.count();
    }
  }

  private void awaitLanded(List<Path> dirs, long bytes, List<Future<Cli.Result>> runs) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (landed(dirs) < bytes) {
      if (runs.stream().allMatch(Future::isDone) || System.nanoTime() > deadline) {
        fail(
            "the wave ended or stalled before a third of it landed: "
                + landed(dirs)
                + " of "
                + bytes
                + " bytes");
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  private static long landed(List<Path> dirs) {
    long sum = 0;
    for (Path dir : dirs) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          sum += s.filter(Files::isRegularFile).mapToLong(ChaosTest::sizeOrZero).sum();
        } catch (IOException | UncheckedIOException racingTheClient) {
          // a part renamed while walked: counted on the next poll
        }
      }
    }
    return sum;
  }

  private static long sizeOrZero(Path p) {
    try {
      return Files.size(p);
    } catch (IOException gone) {
      return 0;
    }
  }

  /** The destination holds exactly the server's tree: same names, same bytes, nothing else. */
  private void assertSameTree(Path out) throws IOException {
    Path landed = out.resolve(PREFIX + TREE);
    Set<String> expected = relativeFiles(root.resolve(TREE));
    Set<String> actual = relativeFiles(landed);
    assertEquals(expected, actual, out + ": stray or missing files");
    for (String name : expected) {
      assertEquals(
          -1L,
          Files.mismatch(root.resolve(TREE).resolve(name), landed.resolve(name)),
          out + ": " + name + " differs");
    }
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(
          List.of(PREFIX + TREE),
          s.map(p -> p.getFileName().toString()).toList(),
          out + ": stray entries beside the tree");
    }
    assertFalse(expected.isEmpty());
  }

  private static Set<String> relativeFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !Files.isDirectory(p))
          .map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static long write(Path file, long size, int seed) throws IOException {
    Files.write(file, TestFiles.random((int) size, seed));
    return size;
  }
}
