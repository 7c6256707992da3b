package lanfetch.client.transfer;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lanfetch.client.Done;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.landing.OwnedPart;
import lanfetch.client.landing.PartFile;
import lanfetch.protocol.Sha256;

/**
 * Verifies, syncs and renames received files into place, off the connection threads when a run has
 * several files, so that the connections keep reading.
 *
 * <p>A batch is made durable together, then renamed: every part of it is forced at once, from as
 * many threads, and only then does each get its final name. Concurrent fdatasyncs on one file
 * system share journal commits, so a batch costs about one commit rather than one per file; and no
 * file is renamed before its own data is on disk. Where forces cost nothing (tmpfs) they run in
 * turn on the committer instead. The same threads write back large files while they arrive ({@link
 * #writeBehind}).
 */
final class Committer {
  /** Committer threads: each syncs and places one batch at a time. */
  private static final int THREADS = 4;

  /** Batches waiting for a committer: with those being committed, bounds the open part files. */
  private static final int QUEUE = 4;

  /**
   * Forces in flight at once, at most: the parts of the batches of all committers (4 x 16). On an
   * ext4 of its own, 2,000 small files took 0.35 s to make durable this way against 2.9 s for four
   * threads syncing in turn, and 0.53 s for no sync at all (bench/SyncBench.java).
   */
  private static final int SYNC_THREADS = 64;

  /**
   * A force that returns within this many nanoseconds wrote nothing to a device: the file system is
   * in memory (tmpfs), where handing forces to other threads costs more than the forces.
   */
  private static final long FREE_FORCE_NANOS = 100_000;

  /** Makes a complete part durable before it may be placed; tests make it fail. */
  interface Sync {
    void sync(OwnedPart part) throws FileFailure;
  }

  private final Tally tally;
  private final WorkQueue queue;
  private final ExistingPolicy existing;
  private final boolean serverTimes;
  private final Sync sync;

  /** Null for a single file: the connection thread commits it itself. */
  private final ThreadPoolExecutor pool;

  /** Runs the forces of a batch side by side, and write-behind; threads made when first needed. */
  private final ThreadPoolExecutor syncs;

  /**
   * Whether forces here cost nothing ({@link #FREE_FORCE_NANOS}): then they run in turn. Assumed at
   * first, so that a file system in memory never starts a sync thread; on a disk the first batch of
   * each committer is forced in turn.
   */
  private volatile boolean forcesFree = true;

  /**
   * @param serverTimes whether files get the server's mtime ({@code --no-times}: not)
   */
  Committer(
      int files,
      Tally tally,
      WorkQueue queue,
      ExistingPolicy existing,
      boolean serverTimes,
      Sync sync) {
    this.tally = tally;
    this.queue = queue;
    this.existing = existing;
    this.serverTimes = serverTimes;
    this.sync = sync;
    this.pool =
        files > 1
            ? new ThreadPoolExecutor(
                THREADS,
                THREADS,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> thread(r, "lanfetch-commit"),
                new ThreadPoolExecutor.CallerRunsPolicy())
            : null;
    // A thread is made only when none is idle; with all busy, the caller forces the part itself.
    this.syncs =
        new ThreadPoolExecutor(
            0,
            SYNC_THREADS,
            5,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> thread(r, "lanfetch-sync"));
  }

  /** Where large parts are written back while they arrive ({@link PartFile#syncBehind}). */
  Executor writeBehind() {
    return syncs;
  }

  /**
   * Commits received files in order, on a committer thread when there are several files (the queue
   * is bounded: a full queue makes the connection thread commit itself, which bounds open files). A
   * failure of one file's commit does not stop the others.
   */
  void commit(List<Received> batch) {
    Runnable all = () -> commitBatch(batch);
    if (pool == null) {
      all.run();
    } else {
      pool.execute(all);
    }
  }

  /** A received file whose digest, if any, matched: its hex, or null without --verify. */
  private record Verified(Received received, String hex) {}

  private void commitBatch(List<Received> batch) {
    var verified = new ArrayList<Verified>(batch.size());
    for (Received r : batch) {
      try {
        String hex = r.digest() == null ? null : Sha256.hex(r.digest().digest());
        if (hex == null || matches(r, hex)) {
          verified.add(new Verified(r, hex));
        }
      } catch (RuntimeException e) {
        internalFailure(r, e);
      }
    }
    List<Synced> synced = syncAll(verified);
    for (int i = 0; i < verified.size(); i++) {
      Received r = verified.get(i).received();
      FileFailure f = synced.get(i).failure();
      try {
        if (f == null) {
          place(r, verified.get(i).hex());
        } else {
          PartFile.release(r.part()); // not durable: no final name; the part stays
          tally.failed(r.job(), f);
        }
      } catch (RuntimeException e) {
        internalFailure(r, e);
      }
    }
  }

  /**
   * Forces every part of the batch at once, the first on this thread, and waits for all. Where
   * forces cost nothing, they run in turn on this thread instead, until they take time again.
   *
   * @return per part, in order, how its sync ended
   */
  private List<Synced> syncAll(List<Verified> parts) {
    if (parts.isEmpty()) {
      return List.of();
    }
    var synced = new ArrayList<Synced>(parts.size());
    if (forcesFree || parts.size() == 1) {
      for (Verified v : parts) {
        synced.add(timedSync(v.received().part()));
      }
    } else {
      var running = new ArrayList<Future<Synced>>(parts.size());
      for (int i = 1; i < parts.size(); i++) {
        OwnedPart part = parts.get(i).received().part();
        try {
          running.add(syncs.submit(() -> timedSync(part)));
        } catch (RejectedExecutionException e) {
          running.add(CompletableFuture.completedFuture(timedSync(part))); // all threads busy
        }
      }
      synced.add(timedSync(parts.get(0).received().part()));
      for (Future<Synced> f : running) {
        synced.add(outcome(f));
      }
    }
    // The quickest force says what the file system costs: a busy machine only delays the others.
    long quickest = Long.MAX_VALUE;
    for (Synced s : synced) {
      quickest = Math.min(quickest, s.nanos());
    }
    forcesFree = quickest < FREE_FORCE_NANOS;
    return synced;
  }

  /** How a part's sync ended, and how long it took. */
  private record Synced(FileFailure failure, long nanos) {}

  private Synced timedSync(OwnedPart part) {
    long t0 = System.nanoTime();
    FileFailure failure = syncQuietly(part);
    return new Synced(failure, System.nanoTime() - t0);
  }

  private FileFailure syncQuietly(OwnedPart part) {
    try {
      sync.sync(part);
      return null;
    } catch (FileFailure f) {
      return f;
    } catch (RuntimeException e) {
      return internal(e);
    }
  }

  private static Synced outcome(Future<Synced> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // a force cannot be abandoned halfway: wait for its answer
        }
      }
    } catch (ExecutionException e) {
      return new Synced(internal(e.getCause()), Long.MAX_VALUE);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static FileFailure internal(Throwable e) {
    return new FileFailure(FailureCode.LOCAL_IO, "internal error while committing: " + e);
  }

  /** An unexpected exception fails that file only. */
  private void internalFailure(Received r, RuntimeException e) {
    PartFile.release(r.part());
    tally.failed(r.job(), internal(e));
  }

  /**
   * Whether a --verify digest matches the server's; if not, the part goes and the file is tried
   * again.
   */
  private boolean matches(Received r, String hex) {
    if (hex.equals(r.hash().hex())) {
      return true;
    }
    Job job = r.job();
    discardQuietly(job); // while the part is still ours
    closeQuietly(r.part());
    queue.retryOrFail(
        job,
        new FileFailure(
            FailureCode.CHECKSUM_MISMATCH,
            "received data has SHA-256 "
                + hex
                + " but the server's file has "
                + r.hash().hex()
                + "; not kept"),
        true);
    return false;
  }

  /** Gives a durable part its final name and reports the outcome. */
  private void place(Received r, String hex) {
    Job job = r.job();
    try {
      long mtime = serverTimes ? r.header().modifiedMillis() : PartFile.LANDING_TIME;
      switch (PartFile.place(r.part(), r.header().size(), mtime, existing)) {
        case PLACED -> {
          long millis = (System.nanoTime() - r.started()) / 1_000_000;
          tally.done(job, new Done(r.header().size(), r.header().length(), millis, hex));
        }
        case UNCHANGED -> tally.skipped(job, Tally.UNCHANGED);
        case SKIPPED -> tally.skipped(job, "already exists");
      }
    } catch (FileFailure f) {
      tally.failed(job, f);
    }
  }

  private static void discardQuietly(Job job) {
    try {
      PartFile.discard(job.target);
    } catch (IOException ignored) {
      // A part that cannot be deleted is overwritten from zero next time: restart is set.
    }
  }

  /** Waits for every commit handed over so far. */
  void finish() throws InterruptedException {
    if (pool != null) {
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // A commit is an fsync and a rename: it ends; keep waiting rather than report early.
      }
    }
    syncs.shutdown(); // a write-behind still running ends on its own; nobody waits for it
  }

  private static Thread thread(Runnable r, String name) {
    var t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
