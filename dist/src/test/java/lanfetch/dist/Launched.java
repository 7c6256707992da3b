package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs installed launchers the way a user's shell would, under {@code env -i} (no locale, no HOME,
 * only the PATH given), and stops every process it started by its PID.
 */
final class Launched implements AutoCloseable {
  private static final Pattern STARTUP =
      Pattern.compile("^lanfetch-server listening on 127\\.0\\.0\\.1:(\\d+) .*root=(.*)$");
  private static final long WAIT_SECONDS = 60;

  private final List<Process> started = new ArrayList<>();

  /** A finished command: its exit code and output. */
  record Result(int exitCode, String stdout, String stderr) {
    Result assertSuccess() {
      assertTrue(
          exitCode == 0,
          () -> "exit code " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      return this;
    }
  }

  /** {@code env -i VARS... COMMAND...}: nothing inherited but what {@code vars} says. */
  static List<String> clean(List<String> vars, List<String> command) {
    var line = new ArrayList<String>();
    line.add("env");
    line.add("-i");
    line.addAll(vars);
    line.addAll(command);
    return line;
  }

  /** Runs a command to its end (at most a minute) in {@code cwd}. */
  Result run(Path cwd, List<String> command) throws IOException, InterruptedException {
    Process p = start(cwd, command);
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = readAll(p.getInputStream());
    if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      fail("still running after " + WAIT_SECONDS + " s: " + command);
    }
    return new Result(p.exitValue(), out, err.join());
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A started server, with the port from its startup line. */
  record Server(Process process, int port, String root) {}

  /**
   * Starts a server command (which must print the startup line) and waits for the line; the
   * server's stderr goes to {@code log}.
   */
  Server startServer(Path cwd, List<String> command, Path log) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectError(log.toFile()).start();
    started.add(p);
    var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return reader.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(line, () -> "the server ended before listening: " + read(log));
    Matcher m = STARTUP.matcher(line);
    assertTrue(m.matches(), () -> "not a startup line: " + line + "\n" + read(log));
    // Keep reading the access log so that the server never blocks on a full pipe.
    Thread drainer =
        new Thread(
            () -> {
              try {
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException ignored) {
                // the server is gone
              }
            },
            "server-stdout");
    drainer.setDaemon(true);
    drainer.start();
    return new Server(p, Integer.parseInt(m.group(1)), m.group(2));
  }

  /** SIGTERM to the server's PID, and its exit code once it has stopped. */
  static int stop(Server server) throws InterruptedException {
    server.process().destroy();
    if (!server.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      server.process().destroyForcibly();
      fail("the server did not stop within " + WAIT_SECONDS + " s of SIGTERM");
    }
    return server.process().exitValue();
  }

  private Process start(Path cwd, List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).directory(cwd.toFile()).start();
    started.add(p);
    p.getOutputStream().close();
    return p;
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Ends whatever is still running, by PID. */
  @Override
  public void close() {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
        try {
          p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
