package lanfetch.client.transfer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.RetryNotice;
import lanfetch.client.RunException;
import lanfetch.client.Target;
import lanfetch.protocol.PeerText;

/**
 * The files still to be asked for, shared by every connection of a run, and the decision to try one
 * again. Work handed back (a broken connection's unanswered requests, a retry) goes to the front,
 * so it is done before new work.
 */
final class WorkQueue {
  private final BlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  private final Tally tally;
  private final int retries;
  private final RetryNotice notice;

  /** What stopped the run, or null while it goes on. */
  private volatile RunException fatal;

  /** Set by a signal: stop, keep every partial file, report nothing more as failed. */
  private volatile boolean interrupted;

  /**
   * @param retries how many times a failure that may pass is tried again, per file
   * @param notice told of each file tried again, before it goes back to the queue
   */
  WorkQueue(List<Target> targets, Tally tally, int retries, RetryNotice notice) {
    this.tally = tally;
    this.retries = retries;
    this.notice = notice;
    for (Target t : targets) {
      queue.add(new Job(t));
    }
  }

  /** The next job for a new connection; null once nothing is left or the run must stop. */
  Job take() throws InterruptedException {
    while (fatal == null && tally.unsettled()) {
      Job job = queue.poll(50, TimeUnit.MILLISECONDS);
      if (job != null) {
        return job;
      }
    }
    return null;
  }

  /** The next queued job, or null: for a connection that is already busy. */
  Job poll() {
    return fatal == null ? queue.poll() : null;
  }

  /**
   * Hands back unfinished work, to be done before new work. An attempt the job had started is
   * closed first (unless a signal stopped the run: then it is left open, see Events).
   */
  void putBack(Job job) {
    if (!interrupted) {
      tally.retrying(job);
    }
    queue.addFirst(job);
  }

  /** Tries the job again later if the failure may pass and it has attempts left; else fails it. */
  void retryOrFail(Job job, FileFailure failure, boolean restart) {
    if (interrupted) {
      putBack(job); // the run stopped under it: not the file's failure
      return;
    }
    if (failure.code().mayPassOnRetry() && job.attempts < retries && !stopped()) {
      job.attempts++;
      job.restart |= restart;
      // No pause of its own: the file is asked for again as soon as a connection is free
      // (one that reconnects announces its own pause).
      notice.retrying(
          PeerText.quote(job.target.name()) + ": " + failure.getMessage(),
          job.attempts,
          retries,
          Duration.ZERO);
      putBack(job);
    } else {
      tally.failed(job, failure);
    }
  }

  boolean stopped() {
    return fatal != null;
  }

  /** Whether a signal stopped the run. */
  boolean interrupted() {
    return interrupted;
  }

  /** Stops the run: no connection takes more work. */
  void stop(RunException e) {
    fatal = e;
  }

  /** Stops the run on a signal: what is handed back from now on is not reported. */
  void interrupt(RunException e) {
    interrupted = true;
    fatal = e;
  }

  /**
   * Fails whatever no connection could take, with the error that stopped the connections.
   *
   * @param lastConnectError why the last connection could not be opened, or null
   * @return the error that ends the run, or null if it ended normally
   */
  RunException failLeftovers(RunException lastConnectError) {
    RunException stop = fatal != null ? fatal : lastConnectError;
    if (queue.isEmpty() || stop == null || interrupted) {
      return fatal;
    }
    FailureCode code = FailureCode.forRunExit(stop.exitCode());
    for (Job job; (job = queue.poll()) != null; ) {
      tally.failed(job, new FileFailure(code, stop.getMessage()));
    }
    return stop;
  }
}
