package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commented /etc/lanfetch/server.conf the package installs shows every setting the server has,
 * and its lines, uncommented, are a configuration the server accepts.
 */
class ServerConfExampleTest {
  /** Command-line words, not settings (the server refuses them in a file). */
  private static final Set<String> NOT_SETTINGS =
      Set.of("help", "version", "config", "generate-token", "force");

  /** Example paths that name files this machine does not have. */
  private static final Set<String> EXAMPLE_PATHS = Set.of("token-file", "tls-key");

  @TempDir Path tmp;

  private static Path example() {
    return DistFiles.source().resolve("etc/server.conf");
  }

  @Test
  void theExampleShowsEverySettingOfTheServer() throws Exception {
    String text = Files.readString(example());
    for (OptionSpec option : CommandModels.server().getCommandSpec().options()) {
      String key = option.longestName().replaceFirst("^--", "");
      if (!NOT_SETTINGS.contains(key)) {
        assertTrue(text.contains("\n#" + key + " = "), "server.conf does not show " + key);
      }
    }
  }

  /**
   * With the file accepted, the server goes on to the directory, which is missing here: exit 3, not
   * the configuration's 9.
   */
  @Test
  void theExampleUncommentedIsAcceptedByTheServer() throws Exception {
    String settings =
        Files.readAllLines(example()).stream()
            .filter(l -> l.matches("#[a-z-]+ = .*"))
            .map(l -> l.substring(1))
            .filter(l -> !EXAMPLE_PATHS.contains(l.substring(0, l.indexOf(' '))))
            .collect(Collectors.joining("\n", "", "\n"));
    Path conf = Files.writeString(tmp.resolve("server.conf"), settings);
    var server = CommandModels.server();
    var err = new StringWriter();
    server.setOut(new PrintWriter(new StringWriter(), true));
    server.setErr(new PrintWriter(err, true));
    int code = server.execute("--config", conf.toString(), tmp.resolve("missing").toString());
    assertEquals(3, code, settings + err);
    assertTrue(err.toString().contains("directory does not exist"), err.toString());
  }
}
