package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bin/ wrappers speak as the command the user typed, not as the shared launcher. */
class LauncherTest {
  @ParameterizedTest
  @CsvSource({"lanfetch", "lanfetch-server"})
  void messagesCarryTheCommandName(String command) throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve(command);
    assertTrue(Files.isRegularFile(script), script::toString);
    var pb = new ProcessBuilder("bash", script.toString(), "--version").redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", "/nonexistent-lanfetch-test-jdk"); // stops before any build
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), out);
    assertTrue(out.startsWith(command + ": java not found"), out);
  }
}
