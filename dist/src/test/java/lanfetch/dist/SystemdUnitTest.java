package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units are valid and sandboxed: {@code systemd-analyze verify} finds nothing to say
 * about them, and {@code systemd-analyze security} rates them 2.0 or better. Checked offline in a
 * scratch root; no service is started. Skipped where systemd-analyze is missing (.ci/run installs
 * it).
 */
class SystemdUnitTest {
  private static final Pattern SCORE =
      Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) ");

  @TempDir Path tmp;

  @Test
  void unitsVerifyCleanly() throws Exception {
    Path root = scratchRoot(tmp, unitSource());
    try (var launched = new Launched()) {
      for (String unit : List.of("lanfetch-server.service", "lanfetch-server@srv-music.service")) {
        var result =
            launched.run(
                tmp,
                List.of(
                    analyze(),
                    "verify",
                    "--man=no",
                    "--root=" + root,
                    "/etc/systemd/system/" + unit));
        assertEquals(0, result.exitCode(), unit + ": " + result.stderr());
        assertEquals("", result.stderr() + result.stdout(), unit);
      }
    }
  }

  @Test
  void unitsAreHardenedToTwoOrBetter() throws Exception {
    Path root = scratchRoot(tmp, unitSource());
    try (var launched = new Launched()) {
      for (String unit : List.of("lanfetch-server.service", "lanfetch-server@srv-music.service")) {
        var result =
            launched.run(
                tmp,
                List.of(
                    analyze(),
                    "security",
                    "--offline=yes",
                    "--no-pager",
                    root.resolve("etc/systemd/system/" + unit).toString()));
        var m = SCORE.matcher(result.stdout() + result.stderr());
        assertTrue(m.find(), unit + ": no score in " + result.stdout() + result.stderr());
        double score = Double.parseDouble(m.group(1));
        assertTrue(score <= 2.0, unit + " is exposed at " + score + ":\n" + result.stdout());
      }
    }
  }

  /**
   * The sh in ExecStart adds {@code --config /etc/lanfetch/server.conf} when the file exists and
   * passes the options and the directory through untouched: its script is run here as systemd would
   * run it ($$ is systemd's escaped $), with the file and the server replaced by ones in the
   * scratch directory.
   */
  @Test
  void unitsPassTheConfigFileWhenItExistsAndTheArgumentsAsGiven() throws Exception {
    Path conf = tmp.resolve("server.conf");
    Path server = tmp.resolve("lanfetch-server");
    Files.writeString(server, "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done\n");
    server.toFile().setExecutable(true, false);
    var units =
        Map.of(
            "lanfetch-server.service",
            " lanfetch-server $LANFETCH_OPTS ${LANFETCH_DIR}",
            "lanfetch-server@.service",
            " lanfetch-server@%i $LANFETCH_OPTS %f");
    try (var launched = new Launched()) {
      for (var unit : units.entrySet()) {
        String exec =
            Files.readAllLines(unitSource().resolve(unit.getKey())).stream()
                .filter(l -> l.startsWith("ExecStart=/bin/sh -c '"))
                .findFirst()
                .orElseThrow();
        int end = exec.lastIndexOf('\'');
        assertEquals(
            unit.getValue(), exec.substring(end + 1), unit.getKey() + ": options and directory");
        String script =
            exec.substring("ExecStart=/bin/sh -c '".length(), end)
                .replace("$$", "$")
                .replace("/etc/lanfetch/server.conf", conf.toString())
                .replace("/usr/bin/lanfetch-server", server.toString());
        var args =
            List.of("sh", "-c", script, "lanfetch-server", "--port", "7891", "/srv/my files");
        Files.deleteIfExists(conf);
        assertEquals(
            "<--port><7891></srv/my files>",
            launched.run(tmp, args).assertSuccess().stdout(),
            unit.getKey() + " without the file");
        Files.writeString(conf, "threads = 4\n");
        assertEquals(
            "<--config><" + conf + "><--port><7891></srv/my files>",
            launched.run(tmp, args).assertSuccess().stdout(),
            unit.getKey() + " with the file");
      }
    }
  }

  static Path unitSource() {
    return DistFiles.source().resolve("systemd");
  }

  static String analyze() {
    Path path = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(path), "systemd-analyze is not installed");
    return path.toString();
  }

  /**
   * A root holding the units (the template under an instance's name too), the system's own units
   * they refer to, and a stand-in /usr/bin/lanfetch-server where none is given.
   */
  static Path scratchRoot(Path tmp, Path units) throws Exception {
    Path root = tmp.resolve("root");
    Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.copy(units.resolve("lanfetch-server.service"), etc.resolve("lanfetch-server.service"));
    Files.copy(units.resolve("lanfetch-server@.service"), etc.resolve("lanfetch-server@.service"));
    Files.copy(
        units.resolve("lanfetch-server@.service"),
        etc.resolve("lanfetch-server@srv-music.service"));
    Path sh = Files.createDirectories(root.resolve("bin")).resolve("sh"); // ExecStart's shell
    if (!Files.exists(sh, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(Path.of("/bin/sh"), sh);
    }
    Path bin = Files.createDirectories(root.resolve("usr/bin"));
    if (!Files.exists(bin.resolve("lanfetch-server"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(bin.resolve("lanfetch-server"), "#!/bin/sh\n");
      bin.resolve("lanfetch-server").toFile().setExecutable(true, false);
    }
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    try (var launched = new Launched()) {
      launched
          .run(
              tmp,
              List.of(
                  "cp",
                  "-a",
                  "/usr/lib/systemd/system",
                  root.resolve("usr/lib/systemd").toString()))
          .assertSuccess();
    }
    return root;
  }
}
