package lanfetch.client.transfer;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.Settings;
import lanfetch.client.landing.Landing;
import lanfetch.client.landing.OwnedPart;
import lanfetch.client.landing.PartFile;
import lanfetch.client.net.AbandonedBodyException;
import lanfetch.client.net.BodyReader;
import lanfetch.client.net.Exchange;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.net.ServerError;
import lanfetch.client.net.SessionEndedException;
import lanfetch.client.net.SinkException;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;

/**
 * One connection's pipelined exchange (PROTOCOL.md section 6). A writer thread takes jobs from the
 * work queue and sends their requests without waiting; this thread reads the answers in the same
 * order ({@link Exchange}) and writes the bodies to part files.
 *
 * <p>A file is handed to the committer only after the frame that follows its body has been read (or
 * the server closed cleanly after it): a server that sends more bytes than it announced is caught
 * before the file is committed, not after.
 *
 * <p>Proven files go to the committer in batches: when {@link #commitBatch} have gathered, or
 * before a read that would wait for the network, so none waits on the network to be committed. One
 * hand-off per file cost more than the commit itself for small files.
 */
final class Pipeline {
  /** Unanswered requests allowed on one connection; bounds what a broken connection hands back. */
  private static final int WINDOW = 256;

  /** Requests written between flushes when the queue has more. */
  private static final int FLUSH_EVERY = 64;

  /**
   * Answered requests whose window slots are given back together: a writer waiting on a full window
   * then wakes once per this many files, not once per file.
   */
  private static final int WINDOW_STEP = 32;

  /** Proven files handed to a committer at once, at most; each holds an open part file. */
  private static final int COMMIT_BATCH = 16;

  /**
   * Open part files all connections may hold in their batches together: 256 keeps a run with {@code
   * -j 64} and its committers' queue well under the common limit of 1,024 descriptors.
   */
  private static final int BATCHED_PARTS = 256;

  /**
   * Body bytes of one file written between write-behind forces: a large file is written back while
   * it arrives, so its final sync finds at most about this much left to write.
   */
  private static final long WRITE_BEHIND = 32L << 20;

  private static final Job END = new Job(null);

  private final Settings settings;
  private final WorkQueue queue;
  private final Tally tally;
  private final Landing landing;
  private final Committer committer;
  private final ServerConnection connection;
  private final Job first;
  private final int commitBatch;

  // ---- shared by the writer and this thread ----
  private final BlockingQueue<Job> inflight = new LinkedBlockingQueue<>();
  private final Semaphore window = new Semaphore(WINDOW);
  private volatile boolean stopping;

  // ---- this (the reader's) thread only ----
  private final BodyReader body;
  private final Exchange exchange;

  /** Counts body bytes for the job being received: one object per connection, not per file. */
  private final LongConsumer bodyBytes = this::bodyBytes;

  private Job current;

  /** The part the body being received goes to, and its bytes since the last write-behind. */
  private OwnedPart receiving;

  private long unforced;

  private Received pending;
  private List<Received> proven;
  private boolean progressed;

  /** Window slots of answered requests not yet given back to the writer. */
  private int freed;

  Pipeline(
      Settings settings,
      WorkQueue queue,
      Tally tally,
      Landing landing,
      Committer committer,
      ServerConnection connection,
      Job first) {
    this.settings = settings;
    this.queue = queue;
    this.tally = tally;
    this.landing = landing;
    this.committer = committer;
    this.connection = connection;
    this.first = first;
    this.body = new BodyReader(connection.body(), connection.direct());
    this.exchange = new Exchange(this::next);
    this.commitBatch =
        Math.max(1, Math.min(COMMIT_BATCH, BATCHED_PARTS / Math.max(1, settings.jobs())));
    this.proven = new ArrayList<>(commitBatch);
  }

  /**
   * Runs until every request sent has been answered, or the connection breaks.
   *
   * @return whether the connection finished cleanly or at least settled a file
   */
  boolean run() throws InterruptedException {
    var writer = new Thread(this::writeRequests, Thread.currentThread().getName() + "-writer");
    writer.setDaemon(true);
    writer.start();
    boolean clean = false;
    try {
      readAnswers();
      clean = true;
    } catch (IOException e) {
      broken(e);
    } finally {
      handOffProven(); // complete and proven: committed even though the connection ended
      stopping = true;
      connection.close();
      writer.interrupt();
      writer.join();
      for (Job job; (job = inflight.poll()) != null; ) {
        if (job != END) {
          queue.putBack(job);
        }
      }
    }
    return clean || progressed;
  }

  // ---- writer thread ----

  private void writeRequests() {
    Job job = first; // taken from the queue, not yet in flight: ours to hand back on failure
    try {
      int unflushed = 0;
      while (job != null && !stopping && !queue.stopped()) {
        if (prepare(job)) {
          if (!window.tryAcquire()) {
            connection.flush(); // what is written goes out before this thread waits
            unflushed = 0;
            window.acquire();
          }
          inflight.add(job); // before its bytes go out, so its answer always finds it
          Job sent = job;
          job = null;
          send(sent);
          unflushed++;
        }
        job = queue.poll();
        if (job == null || unflushed >= FLUSH_EVERY) {
          connection.flush();
          unflushed = 0;
        }
      }
      if (!stopping) {
        connection.finishRequests();
      }
    } catch (InterruptedException e) {
      connection.close(); // only run() interrupts this thread, once the reader is done
    } catch (IOException e) {
      // The connection broke while requests were going out. Answers the server sent before
      // that may still wait in the socket's buffer, whole files among them: closing here would
      // throw them away. A half-close tells a server still there that no more is coming, so
      // it answers what it has and closes; the reader takes all that, then meets the end.
      connection.stopSending();
    } finally {
      if (job != null) {
        queue.putBack(job);
      }
      inflight.add(END);
    }
  }

  /**
   * Gets a job ready for its request: applies the existing-file policy, makes its directory and
   * decides where it resumes.
   *
   * @return false if the job was settled without a request (skipped or failed)
   */
  private boolean prepare(Job job) {
    var t = job.target;
    try {
      job.existingSize = -1;
      Landing.Presence known = landing.presence(t);
      switch (landing.existing(t, known)) {
        case SKIP -> {
          tally.skipped(job, "already exists");
          return false;
        }
        case COMPARE -> {
          return compareFirst(job);
        }
        case ABSENT -> {}
      }
      landing.makeParent(t);
      boolean partMayExist = job.touched || job.restart || known.part();
      job.resume = partMayExist ? landing.resumeFrom(t, job.restart) : PartFile.Resume.FRESH_START;
      job.metaMayExist = partMayExist || known.meta();
      job.restart = false;
      return true;
    } catch (FileFailure f) {
      landing.forgetParent(t);
      tally.failed(job, f);
      return false;
    }
  }

  /**
   * A destination that exists is compared with the server's file (an empty GET gives its size and
   * mtime) rather than refused: a re-run of a batch finds the files it landed before.
   *
   * @return whether the comparison request is to be sent
   * @throws FileFailure EXISTS when the destination cannot be the server's version
   */
  private boolean compareFirst(Job job) throws FileFailure {
    var t = job.target;
    BasicFileAttributes a;
    try {
      a =
          Files.readAttributes(
              t.destination(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw PartFile.existsFailure(t); // gone or unreadable since the check: report what was found
    }
    if (!a.isRegularFile() || (t.knownSize() >= 0 && t.knownSize() != a.size())) {
      throw PartFile.existsFailure(t);
    }
    job.existingSize = a.size();
    job.existingMillis = a.lastModifiedTime().toMillis();
    return true;
  }

  private void send(Job job) throws IOException {
    if (job.existingSize >= 0) {
      connection.send(new GetRequest(job.target.name(), job.existingSize, 0));
      return;
    }
    if (settings.verify()) {
      connection.send(new HashRequest(job.target.name()));
    }
    connection.send(GetRequest.from(job.target.name(), job.resume.offset()));
  }

  // ---- reader: this thread ----

  private void readAnswers() throws IOException {
    while (true) {
      Job job = take();
      if (job == END) {
        awaitEnd();
        return;
      }
      current = job;
      handle(job);
      current = null;
      if (++freed >= WINDOW_STEP) {
        releaseWindow();
      }
    }
  }

  /**
   * Before a read that may wait for the network: the proven files should not wait with it, nor the
   * writer for window slots this thread holds.
   */
  private void waitingForNetwork() {
    handOffProven();
    releaseWindow();
  }

  /** Gives the writer the window slots of the requests answered since the last time. */
  private void releaseWindow() {
    if (freed > 0) {
      window.release(freed);
      freed = 0;
    }
  }

  private Job take() throws IOException {
    Job job = inflight.poll();
    if (job != null) {
      return job;
    }
    releaseWindow(); // this thread waits for the writer, which must not wait for these slots
    try {
      return inflight.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /**
   * The next message; a frame read whole also proves the previous body had the announced length.
   */
  private Message next() throws IOException {
    if (!connection.holds(1)) {
      waitingForNetwork();
    }
    Message m = connection.read();
    commitPending(); // a clean end of stream proves the last body's length as well
    if (m == null) {
      throw new EOFException("the server closed the connection before answering");
    }
    return m;
  }

  private void handle(Job job) throws IOException {
    if (job.existingSize >= 0) {
      compare(job);
      return;
    }
    PartFile.Resume r = job.resume;
    boolean resumed = r.offset() > 0;
    var outcome =
        exchange.read(
            job.target.name(),
            settings.verify(),
            r.offset(),
            resumed ? r.size() : -1,
            r.modifiedMillis());
    GetHeader h = exchange.header();
    switch (outcome) {
      case BODY -> receive(job, h, exchange.hash());
      case REFUSED -> tally.failed(job, exchange.failure());
      case SHRANK -> {
        job.restart = true; // the file shrank below our partial copy: it changed
        queue.putBack(job);
      }
      case STALE_PARTIAL -> {
        job.restart = true; // changed since the partial was written: never splice
        body.drain(h.length(), h.length(), null);
        queue.putBack(job);
      }
      case HASH_REFUSED -> {
        body.drain(h.length(), h.length(), exchange.failure());
        tally.failed(job, exchange.failure());
      }
      case CHANGED -> {
        job.restart = true;
        body.drain(h.length(), h.length(), exchange.failure());
        queue.retryOrFail(job, exchange.failure(), true);
      }
    }
  }

  /**
   * Settles a job whose destination exists: unchanged if it is the server's version, else EXISTS.
   */
  private void compare(Job job) throws IOException {
    var outcome = exchange.probe(job.target.name(), job.existingSize);
    if (outcome == Exchange.Outcome.REFUSED) {
      tally.failed(job, exchange.failure());
      return;
    }
    GetHeader h = exchange.header();
    if (outcome == Exchange.Outcome.BODY
        && h.size() == job.existingSize
        && h.modifiedMillis() == job.existingMillis) {
      tally.skipped(job, Tally.UNCHANGED);
    } else {
      tally.failed(job, PartFile.existsFailure(job.target));
    }
  }

  private void receive(Job job, GetHeader h, HashResult hash) throws IOException {
    long started = System.nanoTime();
    tally.started(job, h.size(), h.offset());
    OwnedPart part;
    MessageDigest digest;
    try {
      landing.checkSpace(job.target, h.length());
      job.touched = true;
      part = PartFile.claim(job.target, h, job.metaMayExist);
    } catch (FileFailure f) {
      body.drain(h.length(), h.length(), f);
      tally.failed(job, f);
      return;
    }
    if (part == null) {
      job.restart = true; // another run changed the part since this one looked: never splice
      body.drain(h.length(), h.length(), null);
      queue.putBack(job);
      return;
    }
    try {
      digest = hash == null ? null : PartFile.digestOfPrefix(part, h.offset());
    } catch (FileFailure f) {
      closeQuietly(part);
      body.drain(h.length(), h.length(), f);
      tally.failed(job, f);
      return;
    }
    if (!connection.holds(h.length())) {
      waitingForNetwork(); // a large body can take minutes: what is proven goes now
    }
    try {
      receiving = h.length() > WRITE_BEHIND ? part : null;
      unforced = 0;
      body.copyToFile(h.length(), part.channel(), digest, bodyBytes);
    } catch (SinkException e) {
      closeQuietly(part);
      FileFailure f = Failures.local("write " + job.target.part(), e.local());
      body.drain(e.left(), h.length(), f);
      tally.failed(job, f);
      return;
    } catch (IOException e) {
      closeQuietly(part);
      throw e;
    } finally {
      receiving = null;
    }
    pending = new Received(job, h, part, digest, hash, started);
    progressed = true;
  }

  private void bodyBytes(long bytes) {
    tally.received(current, bytes);
    if (receiving != null && (unforced += bytes) >= WRITE_BEHIND) {
      unforced = 0;
      PartFile.syncBehind(receiving, committer.writeBehind());
    }
  }

  // ---- committing ----

  /** Queues the file received last to be committed: the stream after its body is proven sound. */
  private void commitPending() {
    Received p = pending;
    if (p == null) {
      return;
    }
    pending = null;
    proven.add(p);
    if (proven.size() >= commitBatch) {
      handOffProven();
    }
  }

  /** Hands the proven files to the committer, in the order they arrived. */
  private void handOffProven() {
    if (proven.isEmpty()) {
      return;
    }
    List<Received> batch = proven;
    proven = new ArrayList<>(commitBatch);
    committer.commit(batch);
  }

  /** After the last answer: wait for the server to close, which proves the last body's length. */
  private void awaitEnd() throws IOException {
    waitingForNetwork(); // the server may take a while to close: the proven files go now
    for (Message m; (m = connection.readUntilEnd(settings.timeout())) != null; ) {
      commitPending();
      if (!(m instanceof ErrorMessage)) {
        throw new ProtocolException(
            String.format(
                java.util.Locale.ROOT, "answered nothing with message type 0x%02X", m.type()));
      }
    }
    commitPending();
    handOffProven();
  }

  // ---- failure ----

  /** The connection is unusable: settle or hand back every job it holds. */
  private void broken(IOException e) {
    if (e instanceof SessionEndedException s && ServerError.refusesSession(s.error())) {
      queue.stop(ServerError.forSession(connection.address().toString(), s.error()));
    }
    Duration timeout = settings.timeout();
    Received p = pending;
    pending = null;
    if (p != null) {
      closeQuietly(p.part());
      queue.retryOrFail(
          p.job(),
          Exchange.failureAfterBody(p.header().length(), e, connection.address(), timeout),
          false);
    }
    Job job = current;
    current = null;
    if (job == null) {
      return;
    }
    if (e instanceof AbandonedBodyException a) {
      if (a.failure() == null) {
        queue.putBack(job);
      } else {
        queue.retryOrFail(job, a.failure(), job.restart);
      }
    } else if (e instanceof SessionEndedException s
        && s.error().code() == ErrorCode.TOO_MANY_REQUESTS.code()) {
      queue.putBack(job); // not the file's fault: reconnect and carry on
    } else {
      queue.retryOrFail(job, Exchange.failureDuring(e, connection.address(), timeout), false);
    }
  }
}
