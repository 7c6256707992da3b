package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The class list the client's archive is dumped from holds the classes of every main path, not only
 * those of one run: what a path leaves out loads from the jar and is verified on every run.
 */
class TrainedClassListTest {
  @Test
  void coversEveryMainPathOfTheClient() throws IOException {
    List<String> lines =
        Files.readAllLines(
            DistFiles.target().resolve("lanfetch.classlist"), StandardCharsets.UTF_8);
    Set<String> classes = TrainClassList.classes(lines);
    for (String name :
        List.of(
            "lanfetch/client/cli/ClientMain", // --version
            "lanfetch/client/transfer/StdoutDownload", // get -o -
            "lanfetch/client/transfer/BatchDownload", // get -r, several connections
            "lanfetch/client/output/JsonEvents", // --json
            "lanfetch/client/mirror/Comparison", // --update
            "lanfetch/client/cli/ListCommand", // list
            "sun/security/ssl/SSLContextImpl$TLS13Context", // --tls, --fingerprint
            "sun/security/ssl/ClientHello")) {
      assertTrue(classes.contains(name), name + " is not in the trained class list");
    }
  }
}
