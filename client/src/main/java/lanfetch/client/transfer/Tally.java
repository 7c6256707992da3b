package lanfetch.client.transfer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.ExitCodes;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.plan.Plan;

/**
 * The outcome of every file of a run, as counts for the summary and as events for the listener.
 * Every file of the plan is settled here exactly once (done, skipped or failed), and every attempt
 * it reports as started is closed (see {@link Events} for the contract).
 */
final class Tally {
  /**
   * Why a file is skipped whose destination already is the server's version (same size and mtime).
   */
  static final String UNCHANGED = "unchanged";

  private final Events events;
  private final int files;
  private final AtomicInteger unsettled = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /** Of the failures, those left to another lanfetch that held the file's part. */
  private final AtomicInteger inUse = new AtomicInteger();

  private final AtomicLong received = new AtomicLong();

  /** Whether the server broke the protocol in an answer to some file: the run then exits 5. */
  private volatile boolean protocolBroken;

  /** Starts from the plan: its failures and skips count, its targets are still to settle. */
  Tally(Plan plan, Events events) {
    this.events = events;
    this.files = plan.targets().size() + plan.failed() + plan.skipped();
    unsettled.set(plan.targets().size());
    failed.set(plan.failed());
    skipped.set(plan.skipped());
  }

  /** Whether some file of the plan is not settled yet. */
  boolean unsettled() {
    return unsettled.get() > 0;
  }

  boolean anyFailed() {
    return failed.get() > 0;
  }

  /**
   * The exit code of a run no run-level problem stopped: the worst that happened to a file. A
   * server that broke the protocol in one answer is one README's exit code 5 describes, whether or
   * not other files arrived; files left to another lanfetch, and nothing else, give {@link
   * ExitCodes#IN_USE}.
   */
  int exitCode() {
    if (protocolBroken) {
      return ExitCodes.PROTOCOL;
    }
    if (!anyFailed()) {
      return ExitCodes.OK;
    }
    return onlyInUse() ? ExitCodes.IN_USE : ExitCodes.SOME_FAILED;
  }

  /** Whether every failure was a file another lanfetch was downloading (and there was one). */
  private boolean onlyInUse() {
    int n = inUse.get();
    return n > 0 && n == failed.get();
  }

  /** An attempt at the job begins: its body from {@code offset} of {@code size} bytes follows. */
  void started(Job job, long size, long offset) {
    job.startedSize = size;
    job.position = offset;
    events.started(job.target, size, offset);
  }

  /** Body bytes of {@code job}'s open attempt arrived. */
  void received(Job job, long bytes) {
    job.position += bytes;
    received.addAndGet(bytes);
    events.progress(bytes);
  }

  /** The job's open attempt, if any, ended without the file; it will be asked for again. */
  void retrying(Job job) {
    if (job.startedSize >= 0) {
      events.retrying(job.target, job.startedSize, job.position);
      job.startedSize = -1;
    }
  }

  void done(Job job, Done result) {
    job.startedSize = -1;
    done.incrementAndGet();
    unsettled.decrementAndGet();
    events.done(job.target, result);
  }

  void skipped(Job job, String reason) {
    job.startedSize = -1;
    skipped.incrementAndGet();
    unsettled.decrementAndGet();
    events.skipped(job.target, reason);
  }

  void failed(Job job, FileFailure failure) {
    if (failure.code() == FailureCode.PROTOCOL) {
      protocolBroken = true;
    }
    job.startedSize = -1;
    failed.incrementAndGet();
    if (failure.code() == FailureCode.IN_USE) {
      inUse.incrementAndGet();
    }
    unsettled.decrementAndGet();
    events.failed(job.target.name(), job.target.destination(), failure);
  }

  /** The run's summary, reported to the listener as its last event. */
  Summary finish(long millis, int exitCode) {
    var summary =
        new Summary(
            files, done.get(), skipped.get(), failed.get(), received.get(), millis, exitCode);
    events.finished(summary);
    return summary;
  }
}
