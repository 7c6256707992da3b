package lanfetch.client.transfer;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import lanfetch.client.Events;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.Summary;
import lanfetch.client.landing.Landing;
import lanfetch.client.landing.PartFile;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.plan.Plan;

/**
 * Downloads the targets of a plan into files over {@code jobs} connections that share one {@link
 * WorkQueue}. Each connection pipelines its requests ({@link Pipeline}); one that breaks hands its
 * unanswered work back to the queue and reconnects with backoff, keeping partial files. Finished
 * files go through the {@link Committer}; every outcome is counted and reported by the {@link
 * Tally}.
 */
public final class BatchDownload {
  private final Settings settings;
  private final Landing landing;
  private final Events events;
  private final Committer.Sync sync;
  private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();
  private final List<Thread> workers = new CopyOnWriteArrayList<>();
  private volatile WorkQueue queue;
  private volatile RunException lastConnectError;

  /** Set by a signal; the queue, once there, is told too (whichever comes second tells it). */
  private volatile RunException interruption;

  public BatchDownload(Settings settings, Landing landing, Events events) {
    this(settings, landing, events, PartFile::sync);
  }

  /** With another way to make parts durable: tests make it fail. */
  BatchDownload(Settings settings, Landing landing, Events events, Committer.Sync sync) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.landing = Objects.requireNonNull(landing, "landing");
    this.events = Objects.requireNonNull(events, "events");
    this.sync = Objects.requireNonNull(sync, "sync");
  }

  /**
   * Downloads every target of the plan and reports each outcome; planning failures and skips count
   * in the summary.
   */
  public Summary run(Plan plan) throws InterruptedException {
    long start = System.nanoTime();
    var tally = new Tally(plan, events);
    var work = new WorkQueue(plan.targets(), tally, settings.retries(), settings.retryNotice());
    landing.makeDirectories(plan.directories());
    var committer =
        new Committer(
            plan.targets().size(),
            tally,
            work,
            landing.existingPolicy(),
            landing.serverTimes(),
            sync);
    queue = work;
    RunException signal = interruption;
    if (signal != null) {
      work.interrupt(signal);
    }
    for (int i = 0; i < Math.min(settings.jobs(), plan.targets().size()) && !work.stopped(); i++) {
      var worker = new Thread(() -> connect(work, tally, committer), "lanfetch-connection-" + i);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
    for (Thread w : workers) {
      w.join();
    }
    committer.finish();
    RunException stop = work.failLeftovers(lastConnectError);
    int exit = stop != null ? stop.exitCode() : tally.exitCode();
    return tally.finish((System.nanoTime() - start) / 1_000_000, exit);
  }

  /** One connection's life: connect, run a pipeline, reconnect while work remains. */
  private void connect(WorkQueue work, Tally tally, Committer committer) {
    int failures = 0;
    try {
      for (Job first; (first = work.take()) != null; ) {
        ServerConnection connection;
        try {
          connection = ServerConnection.openRetrying(settings);
        } catch (RunException e) {
          work.putBack(first);
          lastConnectError = e;
          if (!e.retryable()) {
            work.stop(e);
          }
          return;
        }
        open.add(connection);
        try (connection) {
          if (work.interrupted()) {
            return;
          }
          var pipeline = new Pipeline(settings, work, tally, landing, committer, connection, first);
          failures = pipeline.run() ? 0 : failures + 1;
        } finally {
          open.remove(connection);
        }
        if (failures > 0) {
          settings.backoff().pause(failures);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the run from another thread (a signal): connections close, so reads in progress end now;
   * work in flight goes back to the queue unreported, its partial files kept. Files whose body
   * arrived whole may still be committed; nothing incomplete is.
   */
  public void interrupt(RunException e) {
    interruption = e;
    WorkQueue work = queue;
    if (work != null) {
      work.interrupt(e);
    }
    open.forEach(ServerConnection::close);
    workers.forEach(Thread::interrupt); // wakes backoff pauses
  }
}
