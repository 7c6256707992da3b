package lanfetch.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * lanfetch-server in a JVM of its own, on 127.0.0.1 port 0, as the launcher runs it: for signals,
 * exit codes and heap limits. Closing it kills the process if it is still running.
 */
public final class ServerProcess implements AutoCloseable {
  public final Process process;
  public final InetSocketAddress address;

  private ServerProcess(Process process, InetSocketAddress address) {
    this.process = process;
    this.address = address;
  }

  /** Starts the server and reads its startup line. */
  public static ServerProcess start(List<String> jvmOptions, Path root, String... args)
      throws IOException {
    var command = new ArrayList<String>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName(),
            root.toString(),
            "--port",
            "0",
            "--bind",
            "127.0.0.1"));
    command.addAll(List.of(args));
    return start(command);
  }

  /**
   * Starts the server in a JVM that file permissions bind even when the suite runs as root ({@link
   * Unprivileged}); {@code root} must be reachable by others ({@link Unprivileged#share}).
   */
  public static ServerProcess startUnprivileged(Path root, String... args) throws IOException {
    var serverArgs =
        new ArrayList<>(List.of(root.toString(), "--port", "0", "--bind", "127.0.0.1"));
    serverArgs.addAll(List.of(args));
    return start(Unprivileged.serverCommand(serverArgs));
  }

  private static ServerProcess start(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    var lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Matcher m = StartupLine.PATTERN.matcher(String.valueOf(lines.readLine()));
    if (!m.matches()) {
      p.destroyForcibly();
      throw new IOException("no startup line from the server process: " + m);
    }
    return new ServerProcess(p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(20, TimeUnit.SECONDS);
    process.destroyForcibly();
  }
}
