package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 16: {@code java -jar lanfetch.jar} under the C locale, where Java can name no
 * Chinese file and receives a Chinese argument as "??", fails once at start with one line saying
 * how to run it, exit 6; {@code list} of the root needs neither, and prints UTF-8.
 */
@EnabledOnOs(OS.LINUX)
class CLocaleTest extends FakeServerTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run underCLocale(String... args) throws Exception {
    var pb = ChildClient.builder(args);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
    pb.environment().put("LC_ALL", "C");
    pb.redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    Process child = pb.start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    return new Run(
        child.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void getToFilesFailsOnceAtStartSayingHowToRunIt() throws Exception {
    server.put("报告.txt", TestFiles.random(10, 1)).put("b.txt", TestFiles.random(10, 2));
    var r =
        underCLocale(
            "get", server.address(), "报告.txt", "b.txt", "-o", dir.resolve("out").toString());
    assertEquals(ExitCodes.LOCAL, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(
        r.err().contains("run lanfetch through bin/lanfetch") && r.err().contains("LC_ALL=C.UTF-8"),
        r::toString);
    assertTrue(
        !Files.exists(dir.resolve("out")), "nothing attempted, not even the output directory");
  }

  @Test
  void evenToStdoutSinceTheNamesTypedArriveAsQuestionMarks() throws Exception {
    server.put("报告.txt", TestFiles.random(10, 1));
    var r = underCLocale("get", server.address(), "报告.txt", "-o", "-");
    assertEquals(ExitCodes.LOCAL, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
  }

  @Test
  void listNeedsNoLocalNameAndPrintsUtf8() throws Exception {
    server.put("报告.txt", TestFiles.random(10, 1));
    var list = underCLocale("list", server.address());
    assertEquals(0, list.exit(), list::toString);
    assertTrue(list.out().contains("  报告.txt\n"), list::toString);
  }
}
