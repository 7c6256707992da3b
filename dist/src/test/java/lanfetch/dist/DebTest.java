package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package (built with -Pdeb): its metadata and file list, and its payload, unpacked with
 * dpkg-deb -x into a scratch root, running both commands on its own runtime with no Java on PATH
 * and nothing else in the environment. Skipped unless this build made the .deb (-Pdeb); with
 * dist.deb.required (as .ci/run sets it), a missing .deb fails instead.
 */
class DebTest {
  private static final List<String> PAYLOAD =
      List.of(
          "./usr/bin/lanfetch -> ../lib/lanfetch/bin/lanfetch",
          "./usr/bin/lanfetch-server -> ../lib/lanfetch/bin/lanfetch-server",
          "./usr/lib/lanfetch/bin/lanfetch",
          "./usr/lib/lanfetch/bin/lanfetch-server",
          "./usr/lib/lanfetch/lib/lanfetch.jar",
          "./usr/lib/lanfetch/lib/lanfetch-server.jar",
          "./usr/lib/lanfetch/lib/launch.sh",
          "./usr/lib/lanfetch/runtime/bin/java",
          "./usr/lib/lanfetch/runtime/bin/keytool",
          "./usr/share/man/man1/lanfetch.1.gz",
          "./usr/share/man/man1/lanfetch-get.1.gz",
          "./usr/share/man/man1/lanfetch-list.1.gz",
          "./usr/share/man/man1/lanfetch-server.1.gz",
          "./usr/share/bash-completion/completions/lanfetch",
          "./usr/share/bash-completion/completions/lanfetch-server",
          "./usr/share/zsh/vendor-completions/_lanfetch",
          "./usr/share/zsh/vendor-completions/_lanfetch-server",
          "./lib/systemd/system/lanfetch-server.service",
          "./lib/systemd/system/lanfetch-server@.service",
          "./etc/default/lanfetch-server",
          "./etc/lanfetch/server.conf",
          "./usr/share/doc/lanfetch/copyright");

  @TempDir Path tmp;
  private Launched launched;
  private Path deb;

  @BeforeEach
  void findDeb() {
    launched = new Launched();
    deb = DistFiles.target().resolve("lanfetch_" + DistFiles.version() + "_amd64.deb");
    boolean required = Boolean.getBoolean("dist.deb.required");
    if (!Files.isRegularFile(deb) || !Boolean.getBoolean("dist.deb.built")) {
      if (required) {
        fail(deb + " was not built by this build (dist.deb.required is set; run with -Pdeb)");
      }
      assumeTrue(false, "no .deb from this build: build with mvn -Pdeb");
    }
  }

  @AfterEach
  void stopAll() {
    launched.close();
  }

  @Test
  void metadataNeedsNoJavaAndFilesAreRootsInTheRightPlaces() throws Exception {
    String info =
        launched.run(tmp, List.of("dpkg-deb", "--info", deb.toString())).assertSuccess().stdout();
    assertTrue(info.contains(" Package: lanfetch\n"), info);
    assertTrue(info.contains(" Version: " + DistFiles.version() + "\n"), info);
    assertTrue(info.contains(" Architecture: amd64\n"), info);
    String depends = info.lines().filter(l -> l.startsWith(" Depends:")).findFirst().orElse("");
    assertFalse(depends.toLowerCase(Locale.ROOT).matches(".*(java|jre|jdk).*"), depends);
    String conffiles =
        launched
            .run(tmp, List.of("dpkg-deb", "--info", deb.toString(), "conffiles"))
            .assertSuccess()
            .stdout();
    assertEquals(
        "/etc/default/lanfetch-server\n/etc/lanfetch/server.conf\n",
        conffiles,
        "an upgrade must keep the admin's settings");

    String contents =
        launched
            .run(tmp, List.of("dpkg-deb", "--contents", deb.toString()))
            .assertSuccess()
            .stdout();
    for (String entry : PAYLOAD) {
      assertTrue(contents.contains(" " + entry + "\n"), entry + " missing from\n" + contents);
    }
    contents
        .lines()
        .forEach(line -> assertTrue(line.contains(" root/root "), "not root's: " + line));
  }

  @Test
  void payloadRunsBothCommandsOnItsOwnRuntimeWithNoJavaOnPath() throws Exception {
    Path root = unpack();
    Path tools =
        Files.createDirectories(tmp.resolve("tools")); // PATH: what the launcher uses, no java
    for (String tool : List.of("readlink", "locale")) {
      Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
    }
    var env = List.of("PATH=" + tools);
    String name = "周报 第1周.txt";
    Path served = Files.createDirectories(tmp.resolve("served"));
    Files.writeString(served.resolve(name), "本周无事\n", StandardCharsets.UTF_8);

    var server =
        launched.startServer(
            tmp,
            Launched.clean(
                env,
                List.of(
                    root.resolve("usr/bin/lanfetch-server").toString(),
                    "--port",
                    "0",
                    "--bind",
                    "127.0.0.1",
                    "--config",
                    root.resolve("etc/lanfetch/server.conf").toString(),
                    served.toString())),
            tmp.resolve("server.err"));
    var version =
        launched
            .run(
                tmp,
                Launched.clean(
                    env, List.of(root.resolve("usr/bin/lanfetch").toString(), "--version")))
            .assertSuccess();
    assertTrue(version.stdout().contains("lanfetch " + DistFiles.version()), version.stdout());
    Path out = tmp.resolve("out");
    launched
        .run(
            tmp,
            Launched.clean(
                env,
                List.of(
                    root.resolve("usr/bin/lanfetch").toString(),
                    "get",
                    "127.0.0.1:" + server.port(),
                    name,
                    "-o",
                    out.toString(),
                    "-q")))
        .assertSuccess();
    assertEquals("本周无事\n", Files.readString(out.resolve("[接收]" + name), StandardCharsets.UTF_8));
    assertEquals(0, Launched.stop(server));
  }

  /**
   * The start-up archive postinst makes (make-cds) is the one the client maps when run as
   * /usr/bin/lanfetch, through the symlink: a JDK 17 archive is refused under another path.
   */
  @Test
  void clientMapsTheArchivePostinstMakes() throws Exception {
    Path root = unpack();
    launched
        .run(tmp, List.of(root.resolve("usr/lib/lanfetch/lib/make-cds").toString()))
        .assertSuccess();
    Path log = tmp.resolve("class-load.log");
    String defaults = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m -XX:-UsePerfData";
    launched
        .run(
            tmp,
            Launched.clean(
                List.of(
                    "PATH=/usr/bin:/bin",
                    "LANFETCH_JAVA_OPTS=" + defaults + " -Xlog:class+load=info:file=" + log),
                List.of(root.resolve("usr/bin/lanfetch").toString(), "--version")))
        .assertSuccess();
    String loaded = Files.readString(log);
    assertTrue(
        loaded.contains("lanfetch.client.cli.ClientMain source: shared objects file"),
        "the client's classes did not come from the archive:\n"
            + loaded.lines().filter(l -> l.contains("lanfetch.")).limit(5).toList());
  }

  @Test
  void packagedUnitsVerifyAgainstThePackagedCommand() throws Exception {
    String analyze = SystemdUnitTest.analyze();
    Path root = unpack();
    Path units = root.resolve("lib/systemd/system");
    for (String unit : List.of("lanfetch-server.service", "lanfetch-server@.service")) {
      assertEquals(
          Files.readString(SystemdUnitTest.unitSource().resolve(unit)),
          Files.readString(units.resolve(unit)));
    }
    Files.copy(
        units.resolve("lanfetch-server@.service"),
        units.resolve("lanfetch-server@srv-music.service"));
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    launched
        .run(
            tmp,
            List.of(
                "cp", "-a", "/usr/lib/systemd/system", root.resolve("usr/lib/systemd").toString()))
        .assertSuccess();
    Files.copy(
        Path.of("/bin/sh"),
        Files.createDirectories(root.resolve("bin")).resolve("sh")); // ExecStart's shell
    for (String unit : List.of("lanfetch-server.service", "lanfetch-server@srv-music.service")) {
      var result =
          launched.run(
              tmp,
              List.of(
                  analyze, "verify", "--man=no", "--root=" + root, "/lib/systemd/system/" + unit));
      assertEquals(0, result.exitCode(), result.stderr());
      assertEquals("", result.stdout() + result.stderr(), unit);
    }
  }

  private Path unpack() throws Exception {
    Path root = tmp.resolve("root");
    launched.run(tmp, List.of("dpkg-deb", "-x", deb.toString(), root.toString())).assertSuccess();
    return root;
  }
}
