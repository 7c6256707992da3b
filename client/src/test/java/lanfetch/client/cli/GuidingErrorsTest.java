package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lanfetch.client.ExitCodes;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 14: errors say what to do, and a single download says where it landed. Against the
 * real server, whose refusals carry the rule that refused.
 */
class GuidingErrorsTest {
  @TempDir Path tmp;
  Path root;
  Path out;
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void start() throws IOException {
    root = server.root();
    out = tmp.resolve("out");
    Files.createDirectories(root.resolve("docs"));
    Files.createDirectories(root.resolve("my docs"));
    Files.writeString(root.resolve("docs/a.txt"), "a");
    Files.writeString(root.resolve(".secret"), "s");
  }

  private String address() {
    return server.hostPort();
  }

  @Test
  void aDirectoryAskedForAsAFileSaysUseR() {
    var r = Cli.run("get", address(), "docs", "-o", out.toString());
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("lanfetch: \"docs\": is a directory: use -r docs\n", r.err(), r::toString);
    var quoted = Cli.run("get", address(), "my docs", "-o", out.toString());
    assertTrue(quoted.err().contains("is a directory: use -r 'my docs'"), quoted::toString);
    var dry = Cli.run("get", address(), "docs", "-n", "-o", out.toString());
    assertTrue(dry.err().contains("is a directory: use -r docs"), dry::toString);
  }

  @Test
  void aRefusedNameSaysWhichRule() {
    var r = Cli.run("get", address(), ".secret", "-o", out.toString(), "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals("FORBIDDEN", r.events("failed").get(0).get("error"));
    assertTrue(
        r.err().contains("\".secret\": refused by the server: hidden name refused\n"), r::toString);
  }

  @Test
  void aSingleDownloadSaysWhereItLandedOnce() {
    var r = Cli.run("get", address(), "docs/a.txt", "-o", out.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(
        "lanfetch: \"docs/a.txt\" saved as " + out.resolve("[接收]a.txt") + " (1 B)\n",
        r.err(),
        r::toString);
  }

  @Test
  void notWithQuietNorJsonNorForABatch() throws IOException {
    var quiet = Cli.run("get", address(), "docs/a.txt", "-o", out.resolve("q").toString(), "-q");
    assertEquals("", quiet.err(), quiet::toString);
    var json = Cli.run("get", address(), "docs/a.txt", "-o", out.resolve("j").toString(), "--json");
    assertEquals("", json.err(), json::toString);
    Files.writeString(root.resolve("docs/b.txt"), "b");
    var batch =
        Cli.run("get", address(), "docs/a.txt", "docs/b.txt", "-o", out.resolve("b").toString());
    assertTrue(!batch.err().contains("saved as"), batch::toString);
  }
}
