package lanfetch.client.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.RetryNotice;
import lanfetch.client.Target;
import lanfetch.client.landing.PartFile;
import lanfetch.client.plan.Plan;
import lanfetch.client.testing.RecordingEvents;
import lanfetch.protocol.GetHeader;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches of received files made durable, then named: on jimfs, with a disk's slow syncs. */
class CommitterTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path out = fs.getPath("/out");

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @Test
  void onASlowDiskABatchIsSyncedSideBySideAndOnlyTheFailedFileStaysAPart() throws Exception {
    Files.createDirectories(out);
    var targets = new ArrayList<Target>();
    for (int i = 0; i < 16; i++) {
      targets.add(new Target("f" + i, out.resolve("f" + i), 100 + i));
    }
    var events = new RecordingEvents();
    events.planned(targets.size(), 0);
    var tally = new Tally(new Plan(List.copyOf(targets), List.of(), 0, 0), events);
    var queue = new WorkQueue(targets, tally, 0, RetryNotice.SILENT);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    var inFlight = new AtomicInteger();
    var mostInFlight = new AtomicInteger();
    Committer.Sync slow =
        part -> {
          threads.add(Thread.currentThread().getName());
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          long end = System.nanoTime() + 20_000_000; // a disk: a force waits for a journal commit
          for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
          }
          inFlight.decrementAndGet();
          if (part.target().name().equals("f11")) {
            throw Failures.local("sync " + part.target().part(), new IOException("I/O error"));
          }
          PartFile.sync(part);
        };
    var committer = new Committer(targets.size(), tally, queue, ExistingPolicy.FAIL, true, slow);
    committer.commit(received(tally, targets.subList(0, 8))); // forced in turn: it shows the disk
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.done.size() < 8 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    committer.commit(received(tally, targets.subList(8, 16))); // slow disk: side by side
    committer.finish();

    assertEquals(15, events.done.size(), events.log::toString);
    FileFailure f = events.failures.get("f11");
    assertEquals("cannot sync /out/.f11.part: I/O error", f.getMessage());
    assertFalse(Files.exists(out.resolve("f11")), "not durable: no final name");
    assertEquals(111, Files.size(out.resolve(".f11.part")), "the part stays for the next run");
    assertTrue(mostInFlight.get() > 1, "syncs side by side: at most " + mostInFlight.get());
    assertTrue(threads.stream().anyMatch(n -> n.startsWith("lanfetch-sync")), threads::toString);
    for (int i = 0; i < 16; i++) {
      if (i != 11) {
        assertArrayEquals(TestFiles.random(100 + i, i), Files.readAllBytes(out.resolve("f" + i)));
      }
    }
    assertEquals(List.of(), events.violations, events.log::toString);
  }

  /** Each target received whole into its part, as a connection hands them over. */
  private static List<Received> received(Tally tally, List<Target> targets) throws IOException {
    var batch = new ArrayList<Received>();
    for (Target t : targets) {
      int i = Integer.parseInt(t.name().substring(1));
      byte[] data = TestFiles.random(100 + i, i);
      var job = new Job(t);
      var header = new GetHeader(data.length, 0, data.length, 1000);
      tally.started(job, data.length, 0);
      var part = PartFile.claim(t, header, false);
      part.channel().write(ByteBuffer.wrap(data));
      batch.add(new Received(job, header, part, null, null, System.nanoTime()));
    }
    return batch;
  }
}
