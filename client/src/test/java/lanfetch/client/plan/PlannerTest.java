package lanfetch.client.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lanfetch.client.Target;
import lanfetch.client.testing.RecordingEvents;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Names, globs and trees to targets, against a scripted listing and no network. */
class PlannerTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path out = fs.getPath("/out");
  private final RecordingEvents events = new RecordingEvents();

  /** Directory listed (with "\0r" when recursive) to its entries. */
  private final Map<String, List<Entry>> listings = new java.util.HashMap<>();

  private final List<String> listed = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private Plan plan(List<String> names, List<String> trees) throws Exception {
    Planner.Lister lister =
        (directory, recursive) -> {
          String key = directory + (recursive ? "\0r" : "");
          listed.add(key);
          return listings.getOrDefault(key, List.of());
        };
    return new Planner(new LocalLayout(out, "[接收]"), events, true, lister).plan(names, trees);
  }

  private static Entry file(String name, long size) {
    return new Entry(EntryKind.FILE, size, 0, name);
  }

  private static Entry dir(String name) {
    return new Entry(EntryKind.DIRECTORY, 0, 0, name);
  }

  @Test
  void aNameLandsFlatWithThePrefixAndItsSizeUnknown() throws Exception {
    Plan plan = plan(List.of("docs/报告.pdf"), List.of());
    assertEquals(List.of(new Target("docs/报告.pdf", out.resolve("[接收]报告.pdf"), -1)), plan.targets());
    assertEquals(List.of(), listed, "a literal name needs no listing");
  }

  @Test
  void theSameNameTwiceIsFetchedOnceAndCountsAsSkipped() throws Exception {
    Plan plan = plan(List.of("a.txt", "a.txt"), List.of());
    assertEquals(1, plan.targets().size());
    assertEquals(1, plan.skipped());
    assertEquals(List.of("a.txt"), events.skipped);
  }

  @Test
  void twoNamesThatLandOnOneLocalFileClashBeforeAnyByteIsWritten() throws Exception {
    Plan plan = plan(List.of("a/x.txt", "b/x.txt"), List.of());
    assertEquals(List.of("a/x.txt"), plan.targets().stream().map(Target::name).toList());
    assertEquals(1, plan.failed());
    assertEquals("NAME_CLASH", events.failures.get("b/x.txt").codeName());
    assertTrue(events.failures.get("b/x.txt").getMessage().contains("a/x.txt"));
  }

  @Test
  void anInvalidNameFailsWithoutAskingTheServer() throws Exception {
    Plan plan = plan(List.of("../etc/passwd"), List.of());
    assertEquals(List.of(), plan.targets());
    assertEquals("INVALID_NAME", events.failures.get("../etc/passwd").codeName());
    assertEquals(List.of(), listed);
  }

  @Test
  void aGlobTakesTheMatchingFilesOfOneListingWithTheirSizes() throws Exception {
    listings.put("logs", List.of(file("a.gz", 10), file("b.txt", 20), dir("old.gz")));
    Plan plan = plan(List.of("logs/*.gz", "logs/*.txt"), List.of());
    assertEquals(
        List.of(
            new Target("logs/a.gz", out.resolve("[接收]a.gz"), 10),
            new Target("logs/b.txt", out.resolve("[接收]b.txt"), 20)),
        plan.targets());
    assertEquals(List.of("logs"), listed, "one listing serves both globs");
  }

  @Test
  void aGlobThatMatchesNothingIsOneFailure() throws Exception {
    listings.put("logs", List.of(file("a.txt", 1)));
    Plan plan = plan(List.of("logs/*.gz"), List.of());
    assertEquals(1, plan.failed());
    assertEquals("NO_MATCH", events.failures.get("logs/*.gz").codeName());
  }

  @Test
  void aTreeKeepsItsStructureAndItsEmptyDirectories() throws Exception {
    listings.put(
        "site\0r", List.of(dir("css"), file("css/a.css", 3), dir("empty"), file("index.html", 5)));
    Plan plan = plan(List.of(), List.of("site/"));
    Path root = out.resolve("[接收]site");
    assertEquals(List.of(root, root.resolve("css"), root.resolve("empty")), plan.directories());
    assertEquals(
        List.of(
            new Target("site/css/a.css", root.resolve("css/a.css"), 3),
            new Target("site/index.html", root.resolve("index.html"), 5)),
        plan.targets());
  }

  @Test
  void anUnsafeNameInTheServersListingIsRefusedAndTheRestGoesOn() throws Exception {
    listings.put("site\0r", List.of(file("../escape", 1), file("ok.txt", 2)));
    Plan plan = plan(List.of(), List.of("site"));
    assertEquals(List.of("site/ok.txt"), plan.targets().stream().map(Target::name).toList());
    assertEquals(1, plan.failed());
    assertEquals("UNSAFE_NAME", events.failures.values().iterator().next().codeName());
  }
}
