package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archives, unpacked into an empty directory and run the way a user would: with nothing
 * in the environment but PATH and JAVA_HOME (no locale, no HOME), from another directory and
 * through a symlink, under /bin/sh.
 */
class ArchiveTest {
  private static final String CHINESE = "报告 2026.txt";
  private static final List<String> EXPECTED =
      List.of(
          "bin/lanfetch",
          "bin/lanfetch-server",
          "bin/lanfetch.cmd",
          "bin/lanfetch-server.cmd",
          "lib/lanfetch.jar",
          "lib/lanfetch-server.jar",
          "lib/launch.sh",
          "lib/lanfetch.classlist",
          "README.md",
          "PROTOCOL.md",
          "LICENSE",
          "NOTICE",
          "completion/lanfetch.bash",
          "completion/lanfetch-server.bash",
          "completion/_lanfetch",
          "completion/_lanfetch-server",
          "man/man1/lanfetch.1",
          "man/man1/lanfetch-get.1",
          "man/man1/lanfetch-list.1",
          "man/man1/lanfetch-server.1");

  @TempDir Path tmp;
  private Launched launched;
  private Path home;

  @BeforeEach
  void unpack() throws Exception {
    launched = new Launched();
    Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
    launched.run(unpacked, List.of("tar", "-xzf", DistFiles.tarGz().toString())).assertSuccess();
    home = unpacked.resolve("lanfetch-" + DistFiles.version());
  }

  @AfterEach
  void stopAll() {
    launched.close();
  }

  @Test
  void tarHoldsEveryFileWithExecutableLaunchers() throws IOException {
    for (String name : EXPECTED) {
      assertTrue(Files.isRegularFile(home.resolve(name)), name + " missing from the tar.gz");
    }
    for (String launcher : List.of("bin/lanfetch", "bin/lanfetch-server")) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(home.resolve(launcher));
      assertTrue(mode.contains(PosixFilePermission.OTHERS_EXECUTE), launcher + " is " + mode);
      assertTrue(
          Files.readString(home.resolve(launcher)).startsWith("#!/bin/sh\n"),
          launcher + " is not sh");
    }
    assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
  }

  @Test
  void zipHoldsTheSameFilesWithWindowsLineEndings() throws IOException {
    var names = new TreeSet<String>();
    String prefix = "lanfetch-" + DistFiles.version() + "/";
    try (var zip = new ZipFile(DistFiles.zip().toFile())) {
      zip.stream()
          .filter(e -> !e.isDirectory())
          .forEach(e -> names.add(e.getName().substring(prefix.length())));
      String cmd =
          new String(
              zip.getInputStream(zip.getEntry(prefix + "bin/lanfetch.cmd")).readAllBytes(),
              StandardCharsets.UTF_8);
      assertTrue(
          cmd.contains("\r\n") && !cmd.replace("\r\n", "").contains("\n"),
          "lanfetch.cmd has LF line ends");
      assertTrue(
          cmd.contains("no Java runtime found"), "lanfetch.cmd does not say when Java is missing");
    }
    assertEquals(new TreeSet<>(EXPECTED), names);
  }

  @Test
  void downloadsAChineseNameWithNoLocaleThroughASymlinkFromAnotherDirectory() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served/文档"));
    Files.writeString(served.resolve(CHINESE), "你好, lanfetch\n", StandardCharsets.UTF_8);
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    var server =
        launched.startServer(
            elsewhere,
            Launched.clean(
                env(),
                List.of(
                    home.resolve("bin/lanfetch-server").toString(),
                    "--port",
                    "0",
                    "--bind",
                    "127.0.0.1",
                    tmp.resolve("served").toString())),
            tmp.resolve("server.err"));
    assertEquals(tmp.resolve("served").toRealPath().toString(), server.root(), "served root");

    Path links = Files.createDirectories(tmp.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("lf"), home.resolve("bin/lanfetch"));
    Path out = tmp.resolve("out");
    // The first run makes the class-data archive from the trained class list, the second maps it.
    for (int run = 0; run < 2; run++) {
      launched
          .run(
              elsewhere,
              Launched.clean(
                  env(),
                  List.of(
                      link.toString(),
                      "get",
                      "127.0.0.1:" + server.port(),
                      "文档/" + CHINESE,
                      "-o",
                      out.toString(),
                      "--overwrite",
                      "-q")))
          .assertSuccess();
      assertTrue(
          Files.isRegularFile(home.resolve("lib/lanfetch.jsa")),
          "no class-data archive beside the jar after the first run: " + list(home.resolve("lib")));
    }
    assertEquals(
        "你好, lanfetch\n", Files.readString(out.resolve("[接收]" + CHINESE), StandardCharsets.UTF_8));

    // The archive covers more than the run that made it: a list maps its command from it too.
    Path classLog = tmp.resolve("class-load.log");
    var withLog = new ArrayList<>(env());
    withLog.add(
        "LANFETCH_JAVA_OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m -XX:-UsePerfData"
            + " -Xlog:class+load=info:file="
            + classLog);
    var listing =
        launched
            .run(
                elsewhere,
                Launched.clean(
                    withLog,
                    List.of(
                        "/bin/sh", link.toString(), "list", "127.0.0.1:" + server.port(), "文档")))
            .assertSuccess();
    assertTrue(listing.stdout().contains(CHINESE), listing.stdout());
    String loaded = Files.readString(classLog);
    assertTrue(
        loaded.contains("lanfetch.client.cli.ListCommand source: shared objects file"),
        "list's command did not come from the archive: "
            + loaded.lines().filter(l -> l.contains("ListCommand")).toList());
    assertEquals(
        0, Launched.stop(server), "SIGTERM reaches the server's JVM: the launcher execs it");
  }

  /**
   * A class list this Java cannot dump (a Java other than the one that trained it) costs one failed
   * dump, not one per run: the first get records its own list and the next run dumps from that.
   */
  @Test
  void aTrainedListThatCannotBeDumpedFallsBackToTheFirstRunsOwn() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    Files.writeString(served.resolve(CHINESE), "你好\n", StandardCharsets.UTF_8);
    Files.writeString(
        home.resolve("lib/lanfetch.classlist"), "java/lang/Object id: not-a-number\n");
    var server =
        launched.startServer(
            tmp,
            Launched.clean(
                env(),
                List.of(
                    home.resolve("bin/lanfetch-server").toString(),
                    "--port",
                    "0",
                    "--bind",
                    "127.0.0.1",
                    served.toString())),
            tmp.resolve("server.err"));
    List<String> get =
        List.of(
            home.resolve("bin/lanfetch").toString(),
            "get",
            "127.0.0.1:" + server.port(),
            CHINESE,
            "-o",
            "-");
    var first = launched.run(tmp, Launched.clean(env(), get)).assertSuccess();
    assertEquals("你好\n", first.stdout());
    assertTrue(
        Files.isRegularFile(home.resolve("lib/lanfetch.jsa.failed")),
        "the failed dump is not remembered: " + list(home.resolve("lib")));
    var second = launched.run(tmp, Launched.clean(env(), get)).assertSuccess();
    assertEquals("你好\n", second.stdout());
    assertTrue(
        Files.isRegularFile(home.resolve("lib/lanfetch.jsa")),
        "no archive from the first run's own class list: " + list(home.resolve("lib")));
    assertEquals(0, Launched.stop(server));
  }

  @Test
  void saysInOneLineWhenNoJavaIsFound() throws Exception {
    var result =
        launched.run(
            tmp,
            List.of(
                "env",
                "-i",
                "PATH=" + tmp.resolve("nothing"),
                "/bin/sh",
                home.resolve("bin/lanfetch").toString(),
                "--version"));
    assertEquals(1, result.exitCode());
    assertEquals(
        "lanfetch: no Java runtime found: install Java 17 or newer, or set JAVA_HOME\n",
        result.stderr());
  }

  @Test
  void runsUnderDashAndSaysWhenJavaHomeIsWrong() throws Exception {
    var version =
        launched
            .run(
                tmp,
                Launched.clean(
                    env(),
                    List.of(
                        "/bin/sh", home.resolve("bin/lanfetch-server").toString(), "--version")))
            .assertSuccess();
    assertTrue(version.stdout().contains(DistFiles.version()), version.stdout());
    var wrong =
        launched.run(
            tmp,
            List.of(
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "JAVA_HOME=" + tmp,
                home.resolve("bin/lanfetch").toString(),
                "--version"));
    assertEquals(1, wrong.exitCode());
    assertTrue(
        wrong.stderr().startsWith("lanfetch: JAVA_HOME is " + tmp + ", which has no bin/java"),
        wrong.stderr());
    assertFalse(
        wrong.stderr().contains("\n") && wrong.stderr().indexOf('\n') < wrong.stderr().length() - 1,
        "more than one line: " + wrong.stderr());
  }

  private static List<String> env() {
    return List.of("PATH=/usr/bin:/bin", "JAVA_HOME=" + DistFiles.javaHome());
  }

  private static List<String> list(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
