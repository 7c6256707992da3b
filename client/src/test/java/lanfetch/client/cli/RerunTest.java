package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running a batch finishes it: what landed before is the server's version (same size, and the
 * server's mtime, which every landed file gets) and counts as unchanged; only a file that differs
 * is a clash, unless --overwrite.
 */
class RerunTest {
  @TempDir Path tmp;
  Path root;
  Path out;
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void start() throws IOException {
    root = server.root();
    out = tmp.resolve("out");
    for (String name : List.of("a.txt", "b.txt", "c.txt")) {
      Files.writeString(root.resolve(name), "content of " + name);
      Files.setLastModifiedTime(root.resolve(name), FileTime.fromMillis(1_600_000_000_123L));
    }
  }

  private Cli.Result get(String... more) {
    var args =
        new java.util.ArrayList<>(
            List.of("get", server.hostPort(), "-o", out.toString(), "--json"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void anInterruptedBatchRunAgainFinishesTheJob() throws IOException {
    var first = get("a.txt", "b.txt"); // as if the run had stopped after two files
    assertEquals(0, first.exit(), first::toString);
    assertEquals(
        1_600_000_000_123L,
        Files.getLastModifiedTime(out.resolve("[接收]a.txt")).toMillis(),
        "a landed file has the server's mtime");

    var again = get("a.txt", "b.txt", "c.txt");
    assertEquals(0, again.exit(), again::toString);
    assertEquals(2, again.events("skipped").size(), again::toString);
    assertTrue(
        again.events("skipped").stream().allMatch(e -> "unchanged".equals(e.get("reason"))),
        again::toString);
    assertEquals(1, again.events("done").size(), again::toString);
    assertEquals("content of c.txt", Files.readString(out.resolve("[接收]c.txt")));
  }

  @Test
  void aDestinationThatDiffersIsStillAClashUnlessOverwrite() throws IOException {
    assertEquals(0, get("a.txt", "b.txt").exit());
    Files.writeString(root.resolve("b.txt"), "content of b.txt, edited");

    var clash = get("a.txt", "b.txt");
    assertEquals(1, clash.exit(), clash::toString);
    assertEquals(1, clash.events("skipped").size(), clash::toString);
    var failed = clash.events("failed");
    assertEquals(1, failed.size(), clash::toString);
    assertEquals("EXISTS", failed.get(0).get("error"), clash::toString);
    assertEquals("content of b.txt", Files.readString(out.resolve("[接收]b.txt")), "kept as it was");

    var overwrite = get("b.txt", "--overwrite");
    assertEquals(0, overwrite.exit(), overwrite::toString);
    assertEquals("content of b.txt, edited", Files.readString(out.resolve("[接收]b.txt")));
  }
}
