package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A program people use, installed on this machine (curl, wget, chromium), run as a separate process
 * against a real server: with a bounded wait, its output in files (no pipe to fill), no proxy from
 * the environment, no user configuration ({@code HOME} is a fresh directory) and a UTF-8 locale.
 *
 * <p>A missing program fails the test under CI ({@code CI} set: {@code .ci/run} installs them) and
 * skips it elsewhere, saying what to install.
 */
record ExternalTool(Path binary) {
  /** Generous: the machine may be loaded, and a hung tool must still end the test. */
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** The program from {@code PATH}, or the test skipped (failed under CI) naming the package. */
  static ExternalTool require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    if (found.isEmpty()) {
      String why =
          name + " is not installed: apt-get install -y " + debianPackage + " (.ci/run does so)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return new ExternalTool(found.get());
  }

  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** What a run left: its exit status and what it printed. */
  record Result(int exit, String out, String err) {
    /** The run for an assertion message. */
    String describe() {
      return "exit " + exit + "\n--- stdout:\n" + cut(out) + "\n--- stderr:\n" + cut(err);
    }

    private static String cut(String s) {
      return s.length() > 4000 ? s.substring(0, 4000) + "\n[... " + s.length() + " chars]" : s;
    }
  }

  /** Runs the program in {@code dir} and waits for it, killing it and its children on timeout. */
  Result run(Path dir, List<String> args) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.addAll(args);
    Path home = Files.createDirectories(dir.resolve(".home"));
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    var pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    var env = pb.environment();
    env.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
    env.put("HOME", home.toString());
    env.put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail(
          binary.getFileName()
              + " still running after "
              + TIMEOUT.toSeconds()
              + " s: "
              + command
              + "\n"
              + text(err));
    }
    return new Result(p.exitValue(), text(out), text(err));
  }

  /** Lenient: a tool may print bytes that are not UTF-8, and the text is only for assertions. */
  private static String text(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, List.of(args));
  }
}
