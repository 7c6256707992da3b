package lanfetch.client.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.cli.GetCommand;
import lanfetch.client.landing.Landing;
import lanfetch.client.landing.PartFile;
import lanfetch.client.plan.LocalLayout;
import lanfetch.client.plan.Plan;
import lanfetch.client.plan.Planner;
import lanfetch.client.plan.RemoteLister;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.RecordingEvents;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** File-system edge cases on jimfs: a full disk, a vanished directory, Windows name rules. */
class JimfsDownloadTest extends FakeServerTest {
  FileSystem fs;

  @AfterEach
  void stop() throws IOException {
    if (fs != null) {
      fs.close();
    }
  }

  private RecordingEvents download(Path out, boolean createOut, String... names) throws Exception {
    return download(out, createOut, PartFile::sync, names);
  }

  private RecordingEvents download(
      Path out, boolean createOut, Committer.Sync sync, String... names) throws Exception {
    var settings =
        new Settings(
            ServerAddress.parse(server.address()),
            Duration.ofSeconds(10),
            0,
            Duration.ofMillis(1),
            1,
            false,
            true,
            ExistingPolicy.FAIL);
    var layout = new LocalLayout(out, GetCommand.DEFAULT_PREFIX);
    var events = new RecordingEvents();
    Plan plan;
    try (var lister = new RemoteLister(settings)) {
      plan = new Planner(layout, events, true, lister).plan(List.of(names), List.of());
    }
    if (createOut) {
      Files.createDirectories(out);
    }
    events.planned(plan.targets().size(), 0);
    new BatchDownload(
            settings, new Landing(layout.outputDir(), ExistingPolicy.FAIL, true), events, sync)
        .run(plan);
    assertEquals(List.of(), events.violations, events.log::toString);
    return events;
  }

  @Test
  void announcedSizeBeyondFreeSpaceFailsBeforeWriting() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(3 << 20).build());
    server.put("one", TestFiles.random(2 << 20, 1)).put("two", TestFiles.random(2 << 20, 2));
    var events = download(fs.getPath("/out"), true, "one", "two");
    assertEquals(List.of("one"), events.done);
    assertEquals("NO_SPACE", events.failures.get("two").codeName());
    assertTrue(events.failures.get("two").getMessage().contains("bytes are free"));
    assertFalse(Files.exists(fs.getPath("/out/[接收]two")));
    assertEquals(ExitCodes.SOME_FAILED, events.summary.exitCode());
  }

  @Test
  void diskFillingUpMidWriteIsOneClearFailureAndTheConnectionCarriesOn() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(500 << 10).build());
    for (int i = 0; i < 4; i++) {
      server.put("f" + i, TestFiles.random(200 << 10, i));
    }
    var events = download(fs.getPath("/out"), true, "f0", "f1", "f2", "f3");
    // Finished files are committed on several threads, so their done events may swap.
    assertEquals(List.of("f0", "f1"), events.done.stream().sorted().toList());
    FileFailure f = events.failures.get("f2");
    assertEquals("NO_SPACE", f.codeName(), f.getMessage());
    assertTrue(f.getMessage().startsWith("cannot write /out/.[接收]f2.part"), f.getMessage());
    assertFalse(Files.exists(fs.getPath("/out/[接收]f2")));
    assertTrue(Files.exists(fs.getPath("/out/.[接收]f2.part")), "the partial is kept");
    assertFalse(Files.exists(fs.getPath("/out/[接收]f3")));
  }

  @Test
  void aFileWhoseSyncFailsGetsNoFinalNameAndResumesNextTime() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    byte[] big = TestFiles.random(300 << 10, 7); // large enough to be resumed
    server.put("a", TestFiles.random(1000, 1)).put("big", big).put("c", TestFiles.random(1000, 3));
    Committer.Sync failing =
        part -> {
          if (part.target().name().equals("big")) {
            throw Failures.local(
                "sync " + part.target().part(), new IOException("Input/output error"));
          }
          PartFile.sync(part);
        };
    var events = download(fs.getPath("/out"), true, failing, "a", "big", "c");

    // The others of the batch are durable on their own: they are placed.
    assertEquals(List.of("a", "c"), events.done.stream().sorted().toList());
    FileFailure f = events.failures.get("big");
    assertEquals("cannot sync /out/.[接收]big.part: Input/output error", f.getMessage());
    assertFalse(Files.exists(fs.getPath("/out/[接收]big")), "not durable: no final name");
    assertEquals(big.length, Files.size(fs.getPath("/out/.[接收]big.part")), "the part is kept");
    assertEquals(ExitCodes.SOME_FAILED, events.summary.exitCode());

    server.takeAll();
    var again = download(fs.getPath("/out"), true, "big");
    assertEquals(List.of("big"), again.done);
    assertEquals(big.length, server.takeAll(Kind.GET).get(0).offset(), "resumed after the part");
    assertArrayEquals(big, Files.readAllBytes(fs.getPath("/out/[接收]big")));
  }

  @Test
  void vanishedOutputDirectoryFailsEachFileWithoutRecreatingIt() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    server.put("a", new byte[10]);
    var events = download(fs.getPath("/gone"), false, "a");
    assertTrue(
        events.failures.get("a").getMessage().contains("/gone"),
        events.failures.get("a").getMessage());
    assertEquals("LOCAL_IO", events.failures.get("a").codeName());
    assertFalse(Files.exists(fs.getPath("/gone")));
  }

  @Test
  void windowsNamesThatCannotBeLocalFilesAreRefused() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.windows());
    Path out = fs.getPath("C:\\out");
    var layout = new LocalLayout(out, GetCommand.DEFAULT_PREFIX);
    assertEquals(fs.getPath("C:\\out\\[接收]报告.pdf"), layout.forFile("docs/报告.pdf"));
    assertEquals(
        fs.getPath("C:\\out\\[接收]logs\\2026\\a.gz"), layout.forTreeEntry("x/logs", "2026/a.gz"));
    for (String bad :
        List.of(
            "a<b.txt",
            "a>b",
            "pipe|name",
            "quote\"name",
            "what?",
            "star*",
            "CON",
            "aux.txt",
            "dir/../x",
            "trailing.",
            "trailing ")) {
      var e = assertThrows(FileFailure.class, () -> layout.forFile(bad), bad);
      assertEquals("UNSAFE_NAME", e.codeName(), bad);
    }
    var e = assertThrows(FileFailure.class, () -> layout.forTreeEntry("logs", "a/con/b"));
    assertEquals("UNSAFE_NAME", e.codeName());
  }

  @Test
  void windowsDownloadLandsInsideTheOutputDirectory() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.windows());
    server
        .put("ok/报告.pdf", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .put("bad|name.txt", new byte[1]);
    var events = download(fs.getPath("C:\\out"), true, "ok/报告.pdf", "bad|name.txt");
    assertEquals(List.of("ok/报告.pdf"), events.done);
    assertEquals("UNSAFE_NAME", events.failures.get("bad|name.txt").codeName());
    assertTrue(Files.exists(fs.getPath("C:\\out\\[接收]报告.pdf")));
    assertEquals(1, server.takeAll(Kind.GET).size());
  }
}
