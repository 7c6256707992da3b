package lanfetch.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A lanfetch-server JVM that file permissions bind, for the tests of what an unreadable file
 * or directory does. Root reads anything, and CI runs the suite as root: then the child is
 * started through {@code setpriv} as {@code nobody}, with no groups, on a copy of the class
 * path that {@code nobody} can read (the build's own may sit under {@code /root}). Run as any
 * other user, the child runs as that user. Never a skip: if the suite is root and setpriv is
 * missing, the tests fail and say so.
 */
public final class Unprivileged {
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static volatile String classPath;

  private Unprivileged() {}

  /** Whether this JVM runs as root, so that it, unlike the child, reads whatever it likes. */
  public static boolean suiteIsRoot() {
    try {
      Path self = Path.of("/proc/self");
      if (Files.exists(self)) {
        return ((Number) Files.getAttribute(self, "unix:uid")).intValue() == 0;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not Linux: the name tells.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command that runs lanfetch-server with {@code args} in an unprivileged JVM. */
  public static List<String> serverCommand(List<String> args) {
    var command = new ArrayList<String>();
    if (suiteIsRoot()) {
      if (!Files.isExecutable(Path.of(SETPRIV))) {
        throw new AssertionError("the suite runs as root and " + SETPRIV + " is missing: the"
            + " permission tests need it to run the server as nobody (util-linux)");
      }
      command.addAll(List.of(SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xmx64m",
        "-cp", classPath(), ServerMain.class.getName()));
    command.addAll(args);
    return command;
  }

  /** How a server run ended: its exit code and everything it printed. */
  public record Run(int exitCode, String out, String err) {}

  /** Runs lanfetch-server with {@code args} unprivileged until it exits (it must, within a minute). */
  public static Run run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("lanfetch-server-out", ".txt");
    Path err = Files.createTempFile("lanfetch-server-err", ".txt");
    try {
      Process p = new ProcessBuilder(serverCommand(List.of(args)))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("lanfetch-server " + String.join(" ", args) + " did not exit");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Lets the unprivileged user reach {@code dir} (a test's temporary directory, which is
   * private to its owner): it and what is below it become readable unless a test locks them.
   */
  public static void share(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The server's own class path: the build's, or as root a copy readable by anyone. */
  private static String classPath() {
    String cp = classPath;
    if (cp == null) {
      synchronized (Unprivileged.class) {
        cp = classPath;
        if (cp == null) {
          cp = classPath = suiteIsRoot() ? sharedCopy() : System.getProperty("java.class.path");
        }
      }
    }
    return cp;
  }

  /** Copies where the server's classes and picocli come from into a world-readable directory. */
  private static String sharedCopy() {
    try {
      Path dir = Files.createTempDirectory("lanfetch-unprivileged-cp");
      share(dir);
      var entries = new ArrayList<Path>();
      int i = 0;
      for (Class<?> c : List.of(ServerMain.class, lanfetch.protocol.Wire.class,
          lanfetch.common.ConfigDirectory.class, picocli.CommandLine.class)) {
        Path source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = dir.resolve(i++ + "-" + source.getFileName());
        copyReadable(source, target);
        entries.add(target);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return entries.stream().map(Path::toString).collect(Collectors.joining(":"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyReadable(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        share(Files.createDirectories(target.resolve(source.relativize(d).toString())));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Path copy = source.equals(f) ? target : target.resolve(source.relativize(f).toString());
        Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // A temporary directory: the system cleans it up eventually.
    }
  }
}
