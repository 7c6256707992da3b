package lanfetch.client.landing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.Sha256;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The part file's resume rules and its commit, on jimfs. */
class PartFileTest {
  private static final int LARGE = (int) PartFile.RESUMABLE_MIN;
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path out = fs.getPath("/out");
  private final Target target = new Target("a.bin", out.resolve("a.bin"), -1);

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private void write(Target t, GetHeader header, byte[] bytes) throws IOException {
    try (var part = PartFile.claim(t, header, true)) {
      part.channel().write(ByteBuffer.wrap(bytes));
    }
  }

  @Test
  void aLargePartResumesAfterItsBytesForTheVersionItsSidecarNames() throws IOException {
    Files.createDirectories(out);
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, true), "nothing there yet");
    var header = new GetHeader(LARGE * 2L, 0, LARGE * 2L, 1234);
    write(target, header, new byte[1000]);
    assertTrue(Files.exists(target.meta()), "the sidecar comes with a resumable part");
    assertEquals(new PartFile.Resume(1000, LARGE * 2L, 1234), PartFile.inspect(target, true));
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, false), "--no-continue");
  }

  @Test
  void aPartWithoutATrustworthySidecarStartsOver() throws IOException {
    Files.createDirectories(out);
    write(target, new GetHeader(LARGE * 2L, 0, LARGE * 2L, 1234), new byte[1000]);
    Files.delete(target.meta());
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, true), "no sidecar");
    Files.writeString(target.meta(), "something else\n99 1\n");
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, true), "not our sidecar");
    Files.writeString(target.meta(), "lanfetch-part 1\n999 1234\n");
    assertEquals(
        PartFile.Resume.FRESH_START, PartFile.inspect(target, true), "a part longer than the file");
  }

  @Test
  void aSmallFileHasNoSidecarAndAlwaysStartsOver() throws IOException {
    Files.createDirectories(out);
    write(target, new GetHeader(1000, 0, 1000, 1), new byte[400]);
    assertFalse(Files.exists(target.meta()));
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, true));
  }

  @Test
  void aResumedPartContinuesAtItsOffset() throws IOException {
    Files.createDirectories(out);
    byte[] data = TestFiles.random(LARGE + 10, 4);
    var first = new GetHeader(data.length, 0, data.length, 7);
    write(target, first, Arrays.copyOf(data, 100));
    var rest = new GetHeader(data.length, 100, data.length - 100L, 7);
    try (var part = PartFile.claim(target, rest, true)) {
      assertEquals(
          Sha256.hex(Sha256.of(Arrays.copyOf(data, 100))),
          Sha256.hex(PartFile.digestOfPrefix(part, 100).digest()),
          "--verify hashes the bytes kept");
      part.channel().write(ByteBuffer.wrap(data, 100, data.length - 100));
    }
    assertArrayEquals(data, Files.readAllBytes(target.part()));
  }

  @Test
  void commitRenamesIntoPlaceAndRemovesTheSidecar() throws IOException {
    Files.createDirectories(out);
    var header = new GetHeader(LARGE, 0, LARGE, 5);
    var part = PartFile.claim(target, header, true);
    part.channel().write(ByteBuffer.wrap(new byte[LARGE]));
    assertEquals(PartFile.Landed.PLACED, PartFile.commit(part, LARGE, 5, ExistingPolicy.FAIL));
    assertEquals(
        5, Files.getLastModifiedTime(target.destination()).toMillis(), "the server's mtime");
    assertEquals(LARGE, Files.size(target.destination()));
    assertFalse(Files.exists(target.part()));
    assertFalse(Files.exists(target.meta()));
  }

  @Test
  void aWriteBehindThatHasNotStartedNeverHoldsUpTheCommit() throws IOException {
    Files.createDirectories(out);
    var part = PartFile.claim(target, new GetHeader(LARGE, 0, LARGE, 5), true);
    part.channel().write(ByteBuffer.wrap(new byte[LARGE]));
    var queued = new ArrayList<Runnable>(); // an executor whose threads are all busy
    PartFile.syncBehind(part, queued::add);
    assertEquals(1, queued.size());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertEquals(
                PartFile.Landed.PLACED, PartFile.commit(part, LARGE, 5, ExistingPolicy.FAIL)));
    queued.get(0).run(); // runs late, after the part was placed and closed: does nothing
    assertEquals(LARGE, Files.size(target.destination()));
  }

  @Test
  void writeBehindStopsOnceTheDiskFallsBehind() throws IOException {
    Files.createDirectories(out);
    var part = PartFile.claim(target, new GetHeader(LARGE, 0, LARGE, 5), true);
    var queued = new ArrayList<Runnable>();
    PartFile.syncBehind(part, queued::add);
    queued.get(0).run(); // ended before the next step: the disk keeps up
    PartFile.syncBehind(part, queued::add);
    assertEquals(2, queued.size(), "a write-behind per step while the disk keeps up");
    PartFile.syncBehind(part, queued::add); // the second still waits: the disk is behind
    queued.get(1).run();
    PartFile.syncBehind(part, queued::add);
    assertEquals(2, queued.size(), "none more once the disk fell behind");
    PartFile.release(part);
  }

  @Test
  void anExistingDestinationIsKeptSkippedOrReplacedAsThePolicySays() throws IOException {
    Files.createDirectories(out);
    Files.writeString(target.destination(), "old");
    var header = new GetHeader(3, 0, 3, 5);

    var failing = assertThrows(FileFailure.class, () -> commitNew(header, ExistingPolicy.FAIL));
    assertEquals("EXISTS", failing.codeName());
    assertEquals(PartFile.Landed.SKIPPED, commitNew(header, ExistingPolicy.SKIP));
    assertEquals("old", Files.readString(target.destination()));
    assertEquals(PartFile.Landed.PLACED, commitNew(header, ExistingPolicy.OVERWRITE));
    assertEquals("new", Files.readString(target.destination()));
    assertEquals(
        PartFile.Landed.UNCHANGED,
        commitNew(header, ExistingPolicy.FAIL),
        "the server's version (size and mtime) is already there");
    assertFalse(Files.exists(target.part()), "the part of an unchanged file goes");
  }

  private PartFile.Landed commitNew(GetHeader header, ExistingPolicy policy) throws IOException {
    var part = PartFile.claim(target, header, true);
    part.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
    return PartFile.commit(part, header.size(), header.modifiedMillis(), policy);
  }

  @Test
  void aPartLeftAsASecondNameOfTheDestinationIsDroppedNotResumed() throws IOException {
    Files.createDirectories(out);
    Files.writeString(target.destination(), "complete");
    Files.createLink(target.part(), target.destination()); // a crash between link and unlink
    assertEquals(PartFile.Resume.FRESH_START, PartFile.inspect(target, true));
    assertFalse(Files.exists(target.part()));
    assertEquals("complete", Files.readString(target.destination()), "the file itself stays whole");
  }

  @Test
  void aSymbolicLinkWhereADirectoryBelongsIsNotFollowed() throws IOException {
    Files.createDirectories(out);
    Files.createDirectories(fs.getPath("/elsewhere"));
    Files.createSymbolicLink(out.resolve("tree"), fs.getPath("/elsewhere"));
    var f =
        assertThrows(
            FileFailure.class, () -> PartFile.createDirectories(out, out.resolve("tree/sub")));
    assertEquals("LOCAL_IO", f.codeName());
    assertFalse(Files.exists(fs.getPath("/elsewhere/sub")));
  }
}
