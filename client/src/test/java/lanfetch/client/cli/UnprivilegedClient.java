package lanfetch.client.cli;

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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A lanfetch client JVM that file permissions bind, for the tests of what an unwritable
 * directory does. Root writes anywhere, and CI runs the suite as root: then the child is
 * started through {@code setpriv} as {@code nobody}, with no groups, on a copy of the class
 * path that {@code nobody} can read (the build's own may sit under {@code /root}), as the
 * server's tests do. Run as any other user, the child runs as that user. Never a skip: if the
 * suite is root and setpriv is missing, the test fails and says so.
 */
final class UnprivilegedClient {
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static volatile String classPath;

  private UnprivilegedClient() {}

  /** How a client run ended: its exit code and everything it printed. */
  record Run(int exitCode, String out, String err) {}

  static boolean suiteIsRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Runs {@code lanfetch ARGS} unprivileged until it exits (within a minute). */
  static Run run(Path tmp, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    if (suiteIsRoot()) {
      if (!Files.isExecutable(Path.of(SETPRIV))) {
        throw new AssertionError("the suite runs as root and " + SETPRIV + " is missing: the"
            + " permission tests need it to run the client as nobody (util-linux)");
      }
      command.addAll(List.of(SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-XX:-UsePerfData", "-Xmx64m", "-Duser.home=" + tmp,
        "-cp", classPath(), ClientMain.class.getName()));
    command.addAll(List.of(args));
    Path out = tmp.resolve("unprivileged.out");
    Path err = tmp.resolve("unprivileged.err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("lanfetch " + String.join(" ", args) + " did not exit");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Lets the unprivileged user reach {@code dir}: it becomes readable and searchable by all. */
  static void share(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String classPath() {
    String cp = classPath;
    if (cp == null) {
      synchronized (UnprivilegedClient.class) {
        cp = classPath;
        if (cp == null) {
          cp = classPath = suiteIsRoot() ? sharedCopy() : System.getProperty("java.class.path");
        }
      }
    }
    return cp;
  }

  /** Copies where the client's classes and picocli come from into a world-readable directory. */
  private static String sharedCopy() {
    try {
      Path dir = Files.createTempDirectory("lanfetch-unprivileged-client-cp");
      share(dir);
      var entries = new ArrayList<Path>();
      int i = 0;
      for (Class<?> c : List.of(ClientMain.class, lanfetch.protocol.Wire.class,
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
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // A temporary directory: the system cleans it up eventually.
    }
  }
}
