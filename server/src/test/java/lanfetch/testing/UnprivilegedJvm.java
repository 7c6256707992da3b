package lanfetch.testing;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM that file permissions bind, for the tests of what an unreadable or unwritable file or
 * directory does, on either side. Root reads and writes anything, and CI runs the suite as root:
 * then the child is started through {@code setpriv} as {@code nobody}, with no groups, on a copy of
 * its class path that {@code nobody} can read (the build's own may sit under {@code /root}). Run as
 * any other user, the child runs as that user. Never a skip: if the suite is root and setpriv is
 * missing, the tests fail and say so.
 */
public final class UnprivilegedJvm {
  private static final String SETPRIV = "/usr/bin/setpriv";

  /** Class-path copies, one per main class, made once per test JVM. */
  private static final Map<Class<?>, String> CLASS_PATHS = new ConcurrentHashMap<>();

  private UnprivilegedJvm() {}

  /** How a child run ended: its exit code and everything it printed. */
  public record Run(int exitCode, String out, String err) {}

  /** Whether this JVM runs as root, so that it, unlike the child, reads whatever it likes. */
  public static boolean suiteIsRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * The command that runs {@code main} with {@code args} in an unprivileged JVM.
   *
   * @param jvmOptions options for the child JVM, before the class path
   * @param classPathOf classes whose code sources make up the class path besides {@code main}'s
   */
  public static List<String> command(
      Class<?> main, List<String> jvmOptions, List<Class<?>> classPathOf, List<String> args) {
    var command = new ArrayList<String>();
    if (suiteIsRoot()) {
      if (!Files.isExecutable(Path.of(SETPRIV))) {
        throw new AssertionError(
            "the suite runs as root and "
                + SETPRIV
                + " is missing: the"
                + " permission tests need it to run "
                + main.getSimpleName()
                + " as nobody (util-linux)");
      }
      command.addAll(List.of(SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-XX:-UsePerfData");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath(main, classPathOf), main.getName()));
    command.addAll(args);
    return command;
  }

  /** Runs {@code command} until it exits (it must, within a minute), capturing its output. */
  public static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("lanfetch-unprivileged-out", ".txt");
    Path err = Files.createTempFile("lanfetch-unprivileged-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not exit within a minute");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Lets the unprivileged user reach {@code dir} (a test's temporary directory, which is private to
   * its owner): it becomes readable and searchable by all.
   */
  public static void share(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The build's class path, or as root a copy of the needed entries readable by anyone. */
  private static String classPath(Class<?> main, List<Class<?>> classPathOf) {
    if (!suiteIsRoot()) {
      return System.getProperty("java.class.path");
    }
    return CLASS_PATHS.computeIfAbsent(main, m -> sharedCopy(m, classPathOf));
  }

  private static String sharedCopy(Class<?> main, List<Class<?>> classPathOf) {
    try {
      Path dir = Files.createTempDirectory("lanfetch-unprivileged-cp");
      share(dir);
      var sources = new ArrayList<Class<?>>(List.of(main));
      sources.addAll(classPathOf);
      var entries = new ArrayList<Path>();
      int i = 0;
      for (Class<?> c : sources) {
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
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
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
