package lanfetch.client.transfer;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lanfetch.client.Done;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.landing.PartFile;
import lanfetch.protocol.Sha256;

/**
 * Verifies, syncs and renames received files into place, off the connection threads when a run has
 * several files, so that their fsyncs overlap and the connections keep reading.
 */
final class Committer {
  /** Concurrent fsyncs share journal commits: four cut the cost per file severalfold on ext4. */
  private static final int THREADS = 4;

  /** Batches waiting for a committer: with those being committed, bounds the open part files. */
  private static final int QUEUE = 4;

  private final Tally tally;
  private final WorkQueue queue;
  private final ExistingPolicy existing;
  private final boolean serverTimes;

  /** Null for a single file: the connection thread commits it itself. */
  private final ThreadPoolExecutor pool;

  /**
   * @param serverTimes whether files get the server's mtime ({@code --no-times}: not)
   */
  Committer(int files, Tally tally, WorkQueue queue, ExistingPolicy existing, boolean serverTimes) {
    this.tally = tally;
    this.queue = queue;
    this.existing = existing;
    this.serverTimes = serverTimes;
    this.pool =
        files > 1
            ? new ThreadPoolExecutor(
                THREADS,
                THREADS,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                Committer::thread,
                new ThreadPoolExecutor.CallerRunsPolicy())
            : null;
  }

  /**
   * Commits received files in order, on a committer thread when there are several files (the queue
   * is bounded: a full queue makes the connection thread commit itself, which bounds open files). A
   * failure of one file's commit does not stop the others.
   */
  void commit(List<Received> batch) {
    Runnable all =
        () -> {
          for (Received r : batch) {
            try {
              commit(r);
            } catch (RuntimeException e) {
              tally.failed(
                  r.job(),
                  new FileFailure(FailureCode.LOCAL_IO, "internal error while committing: " + e));
            }
          }
        };
    if (pool == null) {
      all.run();
    } else {
      pool.execute(all);
    }
  }

  /** Verifies, syncs and renames one file. */
  private void commit(Received r) {
    Job job = r.job();
    try {
      String hex = r.digest() == null ? null : Sha256.hex(r.digest().digest());
      if (hex != null && !hex.equals(r.hash().hex())) {
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
        return;
      }
      long mtime = serverTimes ? r.header().modifiedMillis() : PartFile.LANDING_TIME;
      switch (PartFile.commit(r.part(), r.header().size(), mtime, existing)) {
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
    if (pool == null) {
      return;
    }
    pool.shutdown();
    while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
      // A commit is an fsync and a rename: it ends; keep waiting rather than report early.
    }
  }

  private static Thread thread(Runnable r) {
    var t = new Thread(r, "lanfetch-commit");
    t.setDaemon(true);
    return t;
  }
}
