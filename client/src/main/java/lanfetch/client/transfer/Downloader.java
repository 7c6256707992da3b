package lanfetch.client.transfer;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ExitCodes;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.client.landing.DirectorySnapshot;
import lanfetch.client.landing.PartFile;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.plan.Plan;

/**
 * Downloads a list of targets over {@code jobs} connections that share one work queue. Each
 * connection pipelines its requests ({@link Session}); a connection that breaks hands its
 * unanswered work back to the queue and reconnects with backoff, keeping partial files.
 */
public final class Downloader {
  private final Settings settings;
  private final Path outputDir;
  private final Events events;
  private final BlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  private final AtomicInteger remaining = new AtomicInteger();
  private final Set<Path> madeDirectories = ConcurrentHashMap.newKeySet();
  private final DirectorySnapshot snapshot = new DirectorySnapshot();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private volatile RunException fatal;
  /** Set by a signal: stop, keep every partial file, report nothing more as failed. */
  private volatile boolean interrupted;
  private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();
  private final List<Thread> workers = new CopyOnWriteArrayList<>();
  private volatile RunException lastConnectError;
  private volatile FileStore store;
  /** Syncs and renames finished files off the connection threads; null for a single file. */
  private ThreadPoolExecutor committers;
  /** Concurrent fsyncs share journal commits: four cut the cost per file by 2-3x on ext4. */
  private static final int COMMITTERS = 4;
  /** Batches waiting for a committer: with those being committed, bounds the open part files. */
  private static final int COMMIT_QUEUE = 4;

  public Downloader(Settings settings, Path outputDir, Events events) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Downloads every target of the plan and reports each outcome; planning failures and
   * skips count in the summary.
   */
  public Summary run(Plan plan) throws InterruptedException {
    long start = System.nanoTime();
    List<Target> targets = plan.targets();
    makeDirectories(plan.directories());
    targets.forEach(t -> queue.add(new Job(t)));
    remaining.set(targets.size());
    failed.set(plan.failed());
    skipped.set(plan.skipped());
    if (targets.size() > 1) {
      committers = new ThreadPoolExecutor(COMMITTERS, COMMITTERS, 0, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(COMMIT_QUEUE), Downloader::committerThread, new ThreadPoolExecutor.CallerRunsPolicy());
    }
    for (int i = 0; i < Math.min(settings.jobs(), targets.size()) && fatal == null; i++) {
      var worker = new Thread(this::work, "lanfetch-connection-" + i);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
    for (Thread w : workers) {
      w.join();
    }
    if (committers != null) {
      committers.shutdown();
      while (!committers.awaitTermination(1, TimeUnit.MINUTES)) {
        // A commit is an fsync and a rename: it ends; keep waiting rather than report early.
      }
    }
    RunException stop = failLeftovers();
    int exit = stop != null ? stop.exitCode()
        : failed.get() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    var summary = new Summary(targets.size() + plan.failed() + plan.skipped(), done.get(), skipped.get(),
        failed.get(), received.get(), (System.nanoTime() - start) / 1_000_000, exit);
    events.finished(summary);
    return summary;
  }

  /** Creates the directories of -r trees, empty ones included; a failure shows on their files. */
  private void makeDirectories(List<Path> directories) {
    for (Path dir : directories) {
      try {
        PartFile.createDirectories(outputDir, dir);
        madeDirectories.add(dir);
      } catch (FileFailure ignored) {
        // Every file below it reports the same failure, with its own name.
      }
    }
  }

  /** One connection's life: connect, run a session, reconnect while work remains. */
  private void work() {
    int failures = 0;
    try {
      for (Job first; (first = nextJob()) != null; ) {
        ServerConnection connection;
        try {
          connection = ServerConnection.openRetrying(settings);
        } catch (RunException e) {
          queue.addFirst(first);
          lastConnectError = e;
          if (!e.retryable()) {
            fatal = e;
          }
          return;
        }
        open.add(connection);
        try (connection) {
          if (interrupted) {
            return;
          }
          failures = new Session(this, connection, first).run() ? 0 : failures + 1;
        } finally {
          open.remove(connection);
        }
        if (failures > 0) {
          Thread.sleep(settings.backoff(failures).toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next job for a new connection; null once nothing is left or the run must stop. */
  private Job nextJob() throws InterruptedException {
    while (fatal == null && remaining.get() > 0) {
      Job job = queue.poll(50, TimeUnit.MILLISECONDS);
      if (job != null) {
        return job;
      }
    }
    return null;
  }

  /** Fails whatever no connection could take, with the error that stopped the connections. */
  private RunException failLeftovers() {
    RunException stop = fatal != null ? fatal : lastConnectError;
    if (queue.isEmpty() || stop == null || interrupted) {
      return fatal;
    }
    String code = switch (stop.exitCode()) {
      case ExitCodes.REFUSED -> FileFailure.REFUSED;
      case ExitCodes.PROTOCOL -> FileFailure.PROTOCOL;
      default -> FileFailure.CONNECTION;
    };
    for (Job job; (job = queue.poll()) != null; ) {
      fail(job, new FileFailure(code, stop.getMessage()));
    }
    return stop;
  }

  // ---- called by sessions, from their reader and writer threads ----

  Settings settings() {
    return settings;
  }

  Events events() {
    return events;
  }

  /** The next queued job, or null. */
  Job poll() {
    return fatal == null ? queue.poll() : null;
  }

  boolean stopped() {
    return fatal != null;
  }

  void stop(RunException e) {
    fatal = e;
  }

  /**
   * Stops the run from another thread (a signal): connections close, so reads in progress end
   * now; work in flight goes back to the queue unreported, its partial files kept. Files whose
   * body arrived whole may still be committed; nothing incomplete is.
   */
  public void interrupt(RunException e) {
    interrupted = true;
    fatal = e;
    open.forEach(ServerConnection::close);
    workers.forEach(Thread::interrupt);  // wakes backoff pauses
  }

  /** Puts unfinished work back at the front, so it is retried before new work. */
  void requeue(Job job) {
    queue.addFirst(job);
  }

  /**
   * Gets a job ready for its request: applies the existing-file policy, makes its directories
   * and decides where it resumes.
   *
   * @return false if the job was settled without a request (skipped or failed)
   */
  boolean prepare(Job job) {
    Target t = job.target;
    try {
      if (settings.existing() != ExistingPolicy.OVERWRITE && snapshot.mayExist(t.destination())
          && PartFile.exists(t.destination())) {
        dropLeftoverPart(t);
        if (settings.existing() == ExistingPolicy.SKIP) {
          skip(job, "already exists");
          return false;
        }
        throw PartFile.existsFailure(t);
      }
      if (!t.destination().getParent().equals(outputDir) && madeDirectories.add(t.destination().getParent())) {
        PartFile.createDirectories(outputDir, t.destination().getParent());
      }
      boolean partMayExist = job.touched || job.restart || snapshot.mayExist(t.part());
      job.resume = partMayExist ? PartFile.inspect(t, settings.resume() && !job.restart)
          : PartFile.Resume.FRESH_START;
      job.metaMayExist = partMayExist || snapshot.mayExist(t.meta());
      job.restart = false;
      return true;
    } catch (FileFailure f) {
      madeDirectories.remove(t.destination().getParent());
      fail(job, f);
      return false;
    }
  }

  /** A part left as a second name of the existing destination by a crash goes (see PartFile). */
  private static void dropLeftoverPart(Target t) {
    try {
      PartFile.dropLeftover(t);
    } catch (IOException e) {
      // It stays hidden beside the file, as before; the file itself is whole.
    }
  }

  /**
   * Commits received files in order, on a committer thread when there are several files (the
   * queue is bounded: a full queue makes the connection thread commit itself, which bounds open
   * files). A failure of one file's commit does not stop the others.
   *
   * @param job the job each item belongs to, for reporting a failure
   */
  <T> void commit(List<T> items, Function<T, Job> job, Consumer<T> commit) {
    Runnable all = () -> {
      for (T item : items) {
        try {
          commit.accept(item);
        } catch (RuntimeException e) {
          fail(job.apply(item), new FileFailure(FileFailure.LOCAL_IO, "internal error while committing: " + e));
        }
      }
    };
    if (committers == null) {
      all.run();
    } else {
      committers.execute(all);
    }
  }

  private static Thread committerThread(Runnable r) {
    var t = new Thread(r, "lanfetch-commit");
    t.setDaemon(true);
    return t;
  }

  /** Bytes free where the files land, or -1 if the file system cannot say. */
  long usableSpace() {
    try {
      if (store == null) {
        store = Files.getFileStore(outputDir);
      }
      return store.getUsableSpace();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  void received(long bytes) {
    received.addAndGet(bytes);
    events.progress(bytes);
  }

  void done(Job job, Done result) {
    done.incrementAndGet();
    remaining.decrementAndGet();
    events.done(job.target, result);
  }

  void skip(Job job, String reason) {
    skipped.incrementAndGet();
    remaining.decrementAndGet();
    events.skipped(job.target, reason);
  }

  void fail(Job job, FileFailure failure) {
    failed.incrementAndGet();
    remaining.decrementAndGet();
    events.failed(job.target.name(), job.target.destination(), failure);
  }

  /** Retries the job later if the failure may pass and it has attempts left, else fails it. */
  void retryOrFail(Job job, FileFailure failure, boolean restart) {
    if (interrupted) {
      requeue(job);  // the run stopped under it: not the file's failure
      return;
    }
    if (Retry.mayPass(failure) && job.attempts < settings.retries() && !stopped()) {
      job.attempts++;
      job.restart |= restart;
      requeue(job);
    } else {
      fail(job, failure);
    }
  }
}
