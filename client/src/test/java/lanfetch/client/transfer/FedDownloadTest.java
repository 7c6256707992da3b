package lanfetch.client.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ExitCodes;
import lanfetch.client.RunException;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.Target;
import lanfetch.client.cli.GetCommand;
import lanfetch.client.landing.Landing;
import lanfetch.client.plan.LocalLayout;
import lanfetch.client.plan.Plan;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.RecordingEvents;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run fed while it is planned ({@link BatchDownload#feed}): files land before the planning ends,
 * and a planning that fails stops what it started without losing a byte.
 */
class FedDownloadTest extends FakeServerTest {
  @TempDir Path out;

  private final RecordingEvents events = new RecordingEvents();
  private LocalLayout layout;

  private BatchDownload downloader(int jobs) {
    var settings =
        new Settings(
            ServerAddress.parse(server.address()),
            Duration.ofSeconds(10),
            0,
            Duration.ofMillis(1),
            jobs,
            false,
            true,
            ExistingPolicy.FAIL);
    layout = new LocalLayout(out, GetCommand.DEFAULT_PREFIX);
    return new BatchDownload(
        settings, new Landing(layout.outputDir(), ExistingPolicy.FAIL, true), events);
  }

  private Target target(String name, int size) throws Exception {
    return new Target(name, layout.forFile(name), size);
  }

  @Test
  void filesLandWhileTheRestIsStillBeingPlanned() throws Exception {
    byte[] a = TestFiles.random(5000, 1);
    byte[] b = TestFiles.random(7000, 2);
    byte[] c = TestFiles.random(9000, 3);
    server.put("a", a).put("b", b).put("c", c);
    var feed = downloader(1).feed();
    Target ta = target("a", a.length);
    Target tb = target("b", b.length);
    Target tc = target("c", c.length);
    events.planned(3, a.length + b.length + c.length);

    feed.target(ta);
    feed.target(tb);
    // Nothing more is planned yet. The answer after a body proves its length, so the file
    // received last waits for the next one (or the end); the one before it lands now.
    awaitFile(ta.destination(), a.length);
    feed.target(tc);
    var summary = feed.finish(new Plan(List.of(ta, tb, tc), List.of(), 0, 0));

    assertEquals(ExitCodes.OK, summary.exitCode());
    assertEquals(3, summary.files());
    assertEquals(3, summary.done());
    assertArrayEquals(a, Files.readAllBytes(ta.destination()));
    assertArrayEquals(b, Files.readAllBytes(tb.destination()));
    assertArrayEquals(c, Files.readAllBytes(tc.destination()));
    assertEquals(1, server.connectionCount(), "the connection waited for the planning");
    assertEquals(List.of(), events.violations, events.log::toString);
  }

  @Test
  void failuresOfThePlanningCountInTheSummary() throws Exception {
    server.put("a", TestFiles.random(100, 3));
    var feed = downloader(4).feed();
    Target ta = target("a", 100);
    events.planned(1, 100);
    feed.target(ta);
    var summary = feed.finish(new Plan(List.of(ta), List.of(), 2, 1));

    assertEquals(4, summary.files());
    assertEquals(1, summary.done());
    assertEquals(2, summary.failed());
    assertEquals(1, summary.skipped());
    assertEquals(ExitCodes.SOME_FAILED, summary.exitCode());
    assertEquals(1, server.connectionCount(), "one file: one connection, however many jobs");
  }

  @Test
  void aPlanOfNothingEndsWithoutAConnection() throws Exception {
    var feed = downloader(4).feed();
    var summary =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> feed.finish(new Plan(List.of(), List.of(), 1, 0)));
    assertEquals(1, summary.failed());
    assertEquals(ExitCodes.SOME_FAILED, summary.exitCode());
    assertEquals(0, server.connectionCount());
  }

  @Test
  void aPlanningThatFailsStopsTheDownloadsAndKeepsTheirParts() throws Exception {
    byte[] big = TestFiles.random(3 << 20, 4);
    server.put("big", big);
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    var feed = downloader(2).feed();
    Target t = target("big", big.length);
    events.planned(1, big.length);
    try {
      feed.target(t);
      awaitFile(t.part(), 1 << 20);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> feed.abandon(new RunException(ExitCodes.CANNOT_CONNECT, "the listing broke off")));
    } finally {
      server.release();
    }
    assertFalse(Files.exists(t.destination()), "never the final name for an incomplete file");
    assertEquals(1 << 20, Files.size(t.part()), "the partial file stays for the next run");
    assertTrue(events.done.isEmpty());
    assertTrue(events.failures.isEmpty(), "not the file's failure: " + events.failures);
  }

  /** Waits, boundedly, until {@code file} exists with {@code size} bytes. */
  private static void awaitFile(Path file, long size) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!(Files.exists(file) && Files.size(file) == size) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    assertTrue(Files.exists(file), file + " never appeared");
    assertEquals(size, Files.size(file));
  }
}
