package lanfetch.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import lanfetch.client.ExitCodes;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 items 7, 8 and 10, against the real server: server paths kept where asked (and for globs
 * that cross directories), the whole share fetchable, {@code list} names usable by {@code get} as
 * they are, and leading {@code /} and {@code ./} taken as the same name.
 */
class ServerPathsTest {
  @TempDir Path tmp;
  Path root;
  Path out;
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void start() throws IOException {
    root = server.root();
    out = tmp.resolve("out");
    write("a.txt", "a");
    write("docs/x.txt", "docs x");
    write("photos/2020/x.txt", "photo x");
    write("logs/app.log", "log");
    write("logs/old/app.log", "old log");
    Files.createDirectories(root.resolve("empty"));
  }

  private String address() {
    return server.hostPort();
  }

  private void write(String name, String text) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private String landed(String local) throws IOException {
    return Files.readString(out.resolve(local));
  }

  @Test
  void keepPathsLandsEachFileUnderItsWholeServerName() throws IOException {
    var r =
        Cli.run(
            "get",
            address(),
            "docs/x.txt",
            "photos/2020/x.txt",
            "a.txt",
            "-x",
            "-o",
            out.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("docs x", landed("[接收]docs/x.txt"));
    assertEquals("photo x", landed("[接收]photos/2020/x.txt"));
    assertEquals("a", landed("[接收]a.txt"));
  }

  @Test
  void globsThatCrossDirectoriesKeepPathsByDefault() throws IOException {
    var r = Cli.run("get", address(), "**/x.txt", "-o", out.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("docs x", landed("[接收]docs/x.txt"));
    assertEquals("photo x", landed("[接收]photos/2020/x.txt"));
    var flat = Cli.run("get", address(), "logs/*.log", "-o", out.toString());
    assertEquals(0, flat.exit(), flat::toString);
    assertEquals("log", landed("[接收]app.log"), "a glob within one directory stays flat");
  }

  @ParameterizedTest(name = "-r \"{0}\"")
  @ValueSource(strings = {".", "/", "", "./"})
  void theWholeShareLandsEntryByEntryUnderTheOutputDirectory(String whole) throws IOException {
    var r = Cli.run("get", address(), "-r", whole, "-o", out.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("a", landed("[接收]a.txt"));
    assertEquals("docs x", landed("[接收]docs/x.txt"));
    assertEquals("old log", landed("[接收]logs/old/app.log"));
    assertTrue(Files.isDirectory(out.resolve("[接收]empty")), "empty directories too");
    try (var top = Files.list(out)) {
      assertEquals(
          List.of("[接收]a.txt", "[接收]docs", "[接收]empty", "[接收]logs", "[接收]photos"),
          top.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void listPrintsNamesRelativeToTheServedRootInTextAndJson() {
    var text = Cli.run("list", address(), "logs");
    assertEquals(0, text.exit(), text::toString);
    assertEquals(
        List.of("logs/app.log", "logs/old/"),
        text.out().lines().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList(),
        text::toString);
    var json = Cli.run("list", address(), "logs", "-r", "--json");
    assertEquals(
        List.of("logs/app.log", "logs/old", "logs/old/app.log"),
        json.json().stream().map(m -> m.get("name")).toList(),
        json::toString);
  }

  @Test
  void listJsonNamesPipeIntoGetAsTheyAre() throws IOException {
    var json = Cli.run("list", address(), "logs", "-r", "--json");
    String names =
        json.json().stream()
            .filter(m -> "file".equals(m.get("type")))
            .map(m -> (String) m.get("name"))
            .collect(Collectors.joining("\n", "", "\n"));
    var get = Cli.runWithInput(names, "get", address(), "-i", "-", "-x", "-o", out.toString());
    assertEquals(0, get.exit(), get::toString);
    assertEquals("log", landed("[接收]logs/app.log"));
    assertEquals("old log", landed("[接收]logs/old/app.log"));
  }

  @Test
  void leadingSlashAndDotSlashNameTheSameFile() throws IOException {
    var r = Cli.run("get", address(), "/docs/x.txt", "./a.txt", "-o", out.toString(), "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("docs x", landed("[接收]x.txt"));
    assertEquals("a", landed("[接收]a.txt"));
    assertEquals(
        List.of("docs/x.txt", "a.txt").stream().sorted().toList(),
        r.events("done").stream().map(m -> (String) m.get("name")).sorted().toList());
    var list = Cli.run("list", address(), "/logs/");
    assertEquals(0, list.exit(), list::toString);
    assertTrue(list.out().contains("  logs/app.log\n"), list::toString);
    var stdout = Cli.run("get", address(), "./docs/x.txt", "-o", "-");
    assertEquals(0, stdout.exit(), stdout::toString);
    assertEquals("docs x", new String(stdout.raw(), UTF_8));
    var tree = Cli.run("get", address(), "-r", "/logs/", "-o", out.toString());
    assertEquals(0, tree.exit(), tree::toString);
    assertEquals("old log", landed("[接收]logs/old/app.log"));
  }

  @Test
  void theRootAsAFileNameSaysHowToFetchIt() {
    var r = Cli.run("get", address(), "/", "-o", out.toString());
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().contains("use -r . to fetch all of it"), r::toString);
    assertFalse(Files.exists(out.resolve("[接收]")));
  }
}
