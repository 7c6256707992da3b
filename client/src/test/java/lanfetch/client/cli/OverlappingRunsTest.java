package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lanfetch.client.testing.TestFiles;
import lanfetch.server.FileServer;
import lanfetch.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real client processes on the same destination, against the real server. The first runs
 * through a {@link GateProxy} that stalls it mid-body with its part files open; the second runs
 * straight to the server while the first is stalled; then the first is let go. Whatever the
 * overlap, the final names hold exactly the server's bytes, no part file is left, and each run's
 * exit code and message say what it did: the second leaves the files the first holds to it (exit 8,
 * "another lanfetch is downloading this file"), the first finishes them (exit 0).
 */
class OverlappingRunsTest {
  private static final String IN_USE = "another lanfetch is downloading this file";

  @TempDir Path tmp;
  Path root;
  Path out;
  FileServer server;
  GateProxy gate;

  @BeforeEach
  void start() throws IOException {
    root = Files.createDirectory(tmp.resolve("root"));
    out = Files.createDirectory(tmp.resolve("out"));
    server =
        FileServer.start(
            ServerConfig.builder(root)
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .build());
  }

  @AfterEach
  void stop() throws IOException {
    if (gate != null) {
      gate.close();
    }
    server.close();
  }

  private String direct() {
    return "127.0.0.1:" + server.address().getPort();
  }

  @Test
  void smallFileSecondRunLeavesItToTheFirst() throws Exception {
    write("mid.bin", 200 * 1024, 1);
    overlapOneFile("mid.bin", 50 * 1024);
  }

  @Test
  void largeFileWithNoContinue() throws Exception {
    write("big.bin", 40L << 20, 2);
    overlapOneFile("big.bin", 4 << 20, "--no-continue");
  }

  @Test
  void largeFileWithVerify() throws Exception {
    write("big.bin", 24L << 20, 3);
    overlapOneFile("big.bin", 3 << 20, "--verify");
  }

  /** The first run is held after {@code holdAfter} bytes of the file; the second runs meanwhile. */
  private void overlapOneFile(String name, long holdAfter, String... options) throws Exception {
    gate = new GateProxy(server.address().getPort(), holdAfter);
    Run first = Run.start(tmp, "first", out, args(gate.address(), List.of(name), options));
    gate.awaitHeld(1);
    Run second = Run.start(tmp, "second", out, args(direct(), List.of(name), options));
    second.awaitExit();
    assertEquals(8, second.exit(), second::log);
    assertEquals(1, second.errLines().size(), second::log);
    assertTrue(second.errLines().get(0).contains(IN_USE), second::log);
    assertTrue(second.errLines().get(0).contains(name), second::log);

    gate.open();
    first.awaitExit();
    assertEquals(0, first.exit(), first::log);
    assertTrue(first.out().contains("\"done\""), first::log);
    assertSameAsServer(name);
    assertNoPartFiles();
  }

  @Test
  void overlappingTreesWithEightConnections() throws Exception {
    var names = new ArrayList<String>();
    for (int i = 0; i < 24; i++) {
      String name = "tree/d" + (i % 3) + "/f" + i + ".bin";
      write(name, 300 * 1024 + i, 100 + i); // each connection's first file is held mid-body
      names.add(name);
    }
    gate = new GateProxy(server.address().getPort(), 100 * 1024);
    Run first =
        Run.start(tmp, "first", out, args(gate.address(), List.of(), "-r", "tree", "-j", "8"));
    gate.awaitHeld(8);
    Run second = Run.start(tmp, "second", out, args(direct(), List.of(), "-r", "tree", "-j", "8"));
    second.awaitExit();
    assertEquals(8, second.exit(), second::log);
    List<String> refused = second.errLines().stream().filter(l -> l.contains(IN_USE)).toList();
    assertEquals(8, refused.size(), second::log); // one for each file the first holds, nothing else
    assertEquals(refused.size(), second.errLines().size() - 1, second::log); // and the summary line

    gate.open();
    first.awaitExit();
    assertEquals(0, first.exit(), first::log);
    for (String name : names) {
      assertSameAsServer(name);
    }
    assertNoPartFiles();

    Run third = Run.start(tmp, "third", out, args(direct(), List.of(), "-r", "tree", "-j", "8"));
    third.awaitExit();
    assertEquals(0, third.exit(), third::log);
    assertEquals(
        24, third.out().lines().filter(l -> l.contains("\"unchanged\"")).count(), third::log);
  }

  private static List<String> args(String address, List<String> names, String... options) {
    var args = new ArrayList<>(List.of("get", address));
    args.addAll(names);
    args.addAll(List.of(options));
    args.addAll(List.of("--json", "--retries", "0"));
    return args;
  }

  private void assertSameAsServer(String name) throws IOException {
    Path local = out.resolve(name.contains("/") ? name : "[接收]" + name);
    if (name.contains("/")) {
      String tree = name.substring(0, name.indexOf('/'));
      local = out.resolve("[接收]" + tree).resolve(name.substring(tree.length() + 1));
    }
    assertEquals(Files.size(root.resolve(name)), Files.size(local), name);
    assertEquals(TestFiles.sha256(root.resolve(name)), TestFiles.sha256(local), name);
  }

  private void assertNoPartFiles() throws IOException {
    try (Stream<Path> all = Files.walk(out)) {
      List<Path> parts = all.filter(p -> p.getFileName().toString().contains(".part")).toList();
      assertEquals(List.of(), parts);
    }
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

  /** A client process writing to {@code out}, its stdout and stderr kept in files beside it. */
  private record Run(String label, Process process, Path stdout, Path stderr) {
    static Run start(Path tmp, String label, Path out, List<String> args) throws IOException {
      var all = new ArrayList<>(args);
      all.addAll(List.of("-o", out.toString()));
      Path stdout = tmp.resolve(label + ".out");
      Path stderr = tmp.resolve(label + ".err");
      Process p =
          ChildClient.builder(all.toArray(String[]::new))
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      return new Run(label, p, stdout, stderr);
    }

    /** Waits for the run to end: a minute at most, then it is killed and the test fails. */
    void awaitExit() throws InterruptedException {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(label + " run did not end: " + log());
      }
    }

    int exit() {
      return process.exitValue();
    }

    String out() {
      return read(stdout);
    }

    List<String> errLines() {
      return read(stderr).lines().toList();
    }

    String log() {
      return label
          + " run, exit "
          + (process.isAlive() ? "(running)" : process.exitValue())
          + "\nstdout:\n"
          + out()
          + "\nstderr:\n"
          + read(stderr);
    }

    private static String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }
  }
}
