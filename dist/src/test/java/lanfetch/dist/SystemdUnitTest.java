package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units are valid and sandboxed: {@code systemd-analyze verify} finds nothing to
 * say about them, and {@code systemd-analyze security} rates them 2.0 or better. Checked
 * offline in a scratch root; no service is started. Skipped where systemd-analyze is missing
 * (.ci/run installs it).
 */
class SystemdUnitTest {
  private static final Pattern SCORE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) ");

  @TempDir Path tmp;

  @Test
  void unitsVerifyCleanly() throws Exception {
    Path root = scratchRoot(tmp, unitSource());
    try (var launched = new Launched()) {
      for (String unit : List.of("lanfetch-server.service", "lanfetch-server@srv-music.service")) {
        var result = launched.run(tmp, List.of(analyze(), "verify", "--man=no", "--root=" + root,
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
        var result = launched.run(tmp, List.of(analyze(), "security", "--offline=yes", "--no-pager",
            root.resolve("etc/systemd/system/" + unit).toString()));
        var m = SCORE.matcher(result.stdout() + result.stderr());
        assertTrue(m.find(), unit + ": no score in " + result.stdout() + result.stderr());
        double score = Double.parseDouble(m.group(1));
        assertTrue(score <= 2.0, unit + " is exposed at " + score + ":\n" + result.stdout());
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
   * A root holding the units (the template under an instance's name too), the system's own
   * units they refer to, and a stand-in /usr/bin/lanfetch-server where none is given.
   */
  static Path scratchRoot(Path tmp, Path units) throws Exception {
    Path root = tmp.resolve("root");
    Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.copy(units.resolve("lanfetch-server.service"), etc.resolve("lanfetch-server.service"));
    Files.copy(units.resolve("lanfetch-server@.service"), etc.resolve("lanfetch-server@.service"));
    Files.copy(units.resolve("lanfetch-server@.service"), etc.resolve("lanfetch-server@srv-music.service"));
    Path bin = Files.createDirectories(root.resolve("usr/bin"));
    if (!Files.exists(bin.resolve("lanfetch-server"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(bin.resolve("lanfetch-server"), "#!/bin/sh\n");
      bin.resolve("lanfetch-server").toFile().setExecutable(true, false);
    }
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    try (var launched = new Launched()) {
      launched.run(tmp, List.of("cp", "-a", "/usr/lib/systemd/system", root.resolve("usr/lib/systemd").toString()))
          .assertSuccess();
    }
    return root;
  }
}
