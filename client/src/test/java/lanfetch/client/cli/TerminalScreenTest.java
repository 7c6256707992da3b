package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client on a pseudo-terminal (util-linux {@code script}), its raw output replayed on a {@link
 * ScreenModel}: what the user's screen finally shows, bar and messages together.
 */
class TerminalScreenTest extends FakeServerTest {
  @TempDir Path dir;

  /** A run on a pty of 80 columns; {@link #screen} reads what it drew so far. */
  private final class PtyRun {
    final Process process;
    final Path log = dir.resolve("pty.log");

    PtyRun(String... args) throws IOException {
      var command = new StringBuilder();
      for (String a : ChildClient.builder(args).command()) {
        command
            .append(command.length() == 0 ? "" : " ")
            .append('\'')
            .append(a.replace("'", "'\\''"))
            .append('\'');
      }
      var pb =
          new ProcessBuilder("script", "-qfec", command.toString(), "/dev/null")
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("COLUMNS", "80");
      pb.environment().put("LC_ALL", "C.UTF-8");
      process = pb.start();
    }

    byte[] raw() throws IOException {
      return Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
    }

    /** Waits (30 s at most) until the raw output holds {@code text}. */
    void awaitOutput(String text) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!new String(raw(), StandardCharsets.UTF_8).contains(text)
          && System.nanoTime() < deadline) {
        assertTrue(
            process.isAlive(),
            () -> "ended early: " + new String(rawOrEmpty(), StandardCharsets.UTF_8));
        LockSupport.parkNanos(2_000_000);
      }
      assertTrue(
          new String(raw(), StandardCharsets.UTF_8).contains(text), () -> "never drew " + text);
    }

    int exit() throws Exception {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the client did not end: " + screen());
      }
      return process.exitValue();
    }

    List<String> screen() {
      return ScreenModel.of(rawOrEmpty());
    }

    private byte[] rawOrEmpty() {
      try {
        return raw();
      } catch (IOException e) {
        return new byte[0];
      }
    }
  }

  @Test
  void aCutSingleDownloadLeavesItsReasonOnTheScreen() throws Exception {
    server.put("big.bin", TestFiles.random(3 << 20, 5));
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    var run =
        new PtyRun(
            "get",
            server.address(),
            "big.bin",
            "-o",
            dir.resolve("out").toString(),
            "--retries",
            "0");
    run.awaitOutput("MiB"); // the bar is on the screen
    server.close(); // the connection is cut mid-body
    int exit = run.exit();
    List<String> screen = run.screen();
    assertTrue(exit != 0, screen::toString);
    assertEquals(
        1,
        screen.stream().filter(l -> l.startsWith("lanfetch: \"big.bin\": ")).count(),
        () -> "the reason stays, once: " + screen);
    assertTrue(
        screen.stream().filter(l -> l.contains("%")).count() <= 1,
        () -> "one bar, not two: " + screen);
  }

  @Test
  void aBatchWhoseServerDiedShowsTheCauseAndHonestCounts() throws Exception {
    var names = new ArrayList<String>();
    server.put("big.bin", TestFiles.random(3 << 20, 6));
    names.add("big.bin");
    for (int i = 0; i < 20; i++) {
      server.put("f" + i + ".bin", TestFiles.random(1000, i));
      names.add("f" + i + ".bin");
    }
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    var args =
        new ArrayList<>(
            List.of(
                "get",
                server.address(),
                "-o",
                dir.resolve("out").toString(),
                "--retries",
                "0",
                "-j",
                "1"));
    args.addAll(names);
    var run = new PtyRun(args.toArray(String[]::new));
    run.awaitOutput("MiB");
    server.close();
    int exit = run.exit();
    List<String> screen = run.screen();
    assertTrue(exit != 0, screen::toString);
    assertTrue(
        screen.stream().anyMatch(l -> l.startsWith("lanfetch: \"big.bin\": ")),
        () -> "the cause: " + screen);
    String summary =
        screen.stream()
            .filter(l -> l.contains(" files done, "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no summary: " + screen));
    assertTrue(summary.contains(" of 21 files done") && !summary.contains(" 0 failed"), summary);
    assertTrue(
        screen.stream().noneMatch(l -> l.contains("21/21")),
        () -> "failed files are not done: " + screen);
  }

  @Test
  void jsonLinesOnATerminalStayOnTheScreen() throws Exception {
    var args =
        new ArrayList<>(
            List.of("get", server.address(), "-o", dir.resolve("out").toString(), "--json"));
    for (int i = 0; i < 5; i++) {
      server.put("j" + i + ".bin", TestFiles.random(1 << 16, i));
      args.add("j" + i + ".bin");
    }
    var run = new PtyRun(args.toArray(String[]::new));
    assertEquals(0, run.exit(), () -> run.screen().toString());
    List<String> screen = run.screen();
    assertEquals(
        5,
        screen.stream().filter(l -> l.startsWith("{\"event\":\"done\"")).count(),
        screen::toString);
    assertEquals(
        1,
        screen.stream().filter(l -> l.startsWith("{\"event\":\"summary\"")).count(),
        screen::toString);
  }

  @Test
  void dashOutputOntoATerminalIsRefusedBeforeAnythingIsFetched() throws Exception {
    server.put("a.txt", "hello terminal\n".getBytes(StandardCharsets.UTF_8));
    var run = new PtyRun("get", server.address(), "a.txt", "-o", "-");
    int exit = run.exit();
    List<String> screen = run.screen();
    assertEquals(2, exit, screen::toString);
    assertTrue(screen.stream().anyMatch(l -> l.contains("--force-terminal")), screen::toString);
    assertTrue(screen.stream().noneMatch(l -> l.contains("hello terminal")), screen::toString);
    assertEquals(0, server.requestCount(), "nothing asked of the server");
  }

  @Test
  void dashOutputOntoATerminalWritesWhenForced() throws Exception {
    server.put("a.txt", "hello terminal\n".getBytes(StandardCharsets.UTF_8));
    var run = new PtyRun("get", server.address(), "a.txt", "-o", "-", "--force-terminal");
    assertEquals(0, run.exit(), () -> run.screen().toString());
    assertTrue(
        run.screen().stream().anyMatch(l -> l.contains("hello terminal")),
        () -> run.screen().toString());
  }
}
