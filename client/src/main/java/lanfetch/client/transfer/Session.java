package lanfetch.client.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import lanfetch.client.Done;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.Settings;
import lanfetch.client.Target;
import lanfetch.client.landing.PartFile;
import lanfetch.client.net.AbandonedBodyException;
import lanfetch.client.net.BodyReader;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.net.ServerError;
import lanfetch.client.net.ShortBodyException;
import lanfetch.client.net.SinkException;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;
import lanfetch.protocol.Sha256;

/**
 * One connection's pipelined exchange (PROTOCOL.md section 6). A writer thread takes jobs from
 * the shared queue and sends their requests without waiting; this thread reads the answers in
 * the same order and writes the bodies to part files.
 *
 * <p>A file is renamed into place only after the frame that follows its body has been read
 * (or the server closed cleanly after it): a server that sends more bytes than it announced is
 * caught before the file is committed, not after.
 *
 * <p>Proven files go to the committers in batches: when {@link #commitBatch} have gathered,
 * or before a read that would wait for the network, so none waits on the network to be
 * committed. One hand-off per file cost more than the commit itself for small files.
 */
final class Session {
  /** Unanswered requests allowed on one connection; bounds what a broken connection hands back. */
  private static final int WINDOW = 256;
  /** Requests written between flushes when the queue has more. */
  private static final int FLUSH_EVERY = 64;
  /**
   * Answered requests whose window slots are given back together: a writer waiting on a full
   * window then wakes once per this many files, not once per file.
   */
  private static final int WINDOW_STEP = 32;
  /** Proven files handed to a committer at once, at most; each holds an open part file. */
  private static final int COMMIT_BATCH = 16;
  /**
   * Open part files all connections may hold in their batches together: 256 keeps a run with
   * {@code -j 64} and its committers' queue well under the common limit of 1,024 descriptors.
   */
  private static final int BATCHED_PARTS = 256;
  private static final Job END = new Job(null);

  private final Downloader downloader;
  private final Settings settings;
  private final ServerConnection connection;
  private final Job first;
  private final BlockingQueue<Job> inflight = new LinkedBlockingQueue<>();
  private final Semaphore window = new Semaphore(WINDOW);
  private final BodyReader body;
  private volatile boolean stopping;
  private Job current;
  private Received pending;
  private final int commitBatch;
  private List<Received> proven;
  private boolean progressed;
  /** Window slots of answered requests not yet given back to the writer. */
  private int freed;

  Session(Downloader downloader, ServerConnection connection, Job first) {
    this.downloader = downloader;
    this.settings = downloader.settings();
    this.connection = connection;
    this.first = first;
    this.body = new BodyReader(connection.body(), connection.direct());
    this.commitBatch = Math.max(1, Math.min(COMMIT_BATCH, BATCHED_PARTS / Math.max(1, settings.jobs())));
    this.proven = new ArrayList<>(commitBatch);
  }

  /**
   * Runs until every request sent has been answered, or the connection breaks.
   *
   * @return whether the session finished cleanly or at least settled a file
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
      handOffProven();  // complete and proven: committed even though the connection ended
      stopping = true;
      connection.close();
      writer.interrupt();
      writer.join();
      for (Job job; (job = inflight.poll()) != null; ) {
        if (job != END) {
          downloader.requeue(job);
        }
      }
    }
    return clean || progressed;
  }

  // ---- writer thread ----

  private void writeRequests() {
    Job job = first;  // taken from the queue, not yet in flight: ours to hand back on failure
    try {
      int unflushed = 0;
      while (job != null && !stopping && !downloader.stopped()) {
        if (downloader.prepare(job)) {
          if (!window.tryAcquire()) {
            connection.flush();  // what is written goes out before this thread waits
            unflushed = 0;
            window.acquire();
          }
          inflight.add(job);  // before its bytes go out, so its answer always finds it
          Job sent = job;
          job = null;
          send(sent);
          unflushed++;
        }
        job = downloader.poll();
        if (job == null || unflushed >= FLUSH_EVERY) {
          connection.flush();
          unflushed = 0;
        }
      }
      if (!stopping) {
        connection.finishRequests();
      }
    } catch (InterruptedException e) {
      connection.close();  // only run() interrupts this thread, once the reader is done
    } catch (IOException e) {
      // The connection broke while requests were going out. Answers the server sent before
      // that may still wait in the socket's buffer, whole files among them: closing here would
      // throw them away. A half-close tells a server still there that no more is coming, so
      // it answers what it has and closes; the reader takes all that, then meets the end.
      connection.stopSending();
    } finally {
      if (job != null) {
        downloader.requeue(job);
      }
      inflight.add(END);
    }
  }

  private void send(Job job) throws IOException {
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
   * Before a read that may wait for the network: the proven files should not wait with it, nor
   * the writer for window slots this thread holds.
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
    releaseWindow();  // this thread waits for the writer, which must not wait for these slots
    try {
      return inflight.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /** The next message; a frame read whole also proves the previous body had the announced length. */
  private Message next() throws IOException {
    if (!connection.holds(1)) {
      waitingForNetwork();
    }
    Message m = connection.read();
    commitPending();  // a clean end of stream proves the last body's length as well
    if (m == null) {
      throw new EOFException("the server closed the connection before answering");
    }
    return m;
  }

  private void handle(Job job) throws IOException {
    HashResult hash = null;
    FileFailure hashFailure = null;
    if (settings.verify()) {
      Message m = next();
      if (m instanceof HashResult h) {
        hash = h;
      } else if (m instanceof ErrorMessage e) {
        hashFailure = answerError(e);
      } else {
        throw unexpected("HASH", m);
      }
    }
    Message m = next();
    if (m instanceof ErrorMessage e) {
      onError(job, e);
    } else if (m instanceof GetHeader h) {
      onHeader(job, h, hash, hashFailure);
    } else {
      throw unexpected("GET", m);
    }
  }

  private FileFailure answerError(ErrorMessage e) throws SessionEnded {
    if (e.closing()) {
      throw new SessionEnded(e);
    }
    return ServerError.forFile(e);
  }

  private void onError(Job job, ErrorMessage e) throws SessionEnded {
    FileFailure f = answerError(e);
    if (e.code() == ErrorCode.INVALID_RANGE.code() && job.resume.offset() > 0) {
      job.restart = true;  // the file shrank below our partial copy: it changed
      downloader.requeue(job);
      return;
    }
    downloader.fail(job, f);
  }

  private void onHeader(Job job, GetHeader h, HashResult hash, FileFailure hashFailure)
      throws IOException {
    PartFile.Resume r = job.resume;
    if (h.offset() != r.offset() || h.length() != h.size() - h.offset()) {
      throw new ProtocolException("answered GET " + job.target.name() + " from " + r.offset()
          + " with bytes " + h.offset() + "+" + h.length() + " of " + h.size());
    }
    if (r.offset() > 0 && (h.size() != r.size() || h.modifiedMillis() != r.modifiedMillis())) {
      job.restart = true;  // changed since the partial was written: never splice
      body.drain(h.length(), h.length(), null);
      downloader.requeue(job);
    } else if (hashFailure != null) {
      body.drain(h.length(), h.length(), hashFailure);
      downloader.fail(job, hashFailure);
    } else if (hash != null && (hash.size() != h.size() || hash.modifiedMillis() != h.modifiedMillis())) {
      var changed = new FileFailure(FileFailure.CHANGED,
          "the file changed on the server while it was being fetched");
      job.restart = true;
      body.drain(h.length(), h.length(), changed);
      downloader.retryOrFail(job, changed, true);
    } else {
      receive(job, h, hash);
    }
  }

  private void receive(Job job, GetHeader h, HashResult hash) throws IOException {
    long started = System.nanoTime();
    downloader.events().started(job.target, h.size(), h.offset());
    FileChannel channel;
    MessageDigest digest;
    try {
      checkSpace(job, h);
      job.touched = true;
      channel = PartFile.open(job.target, h, job.metaMayExist);
    } catch (FileFailure f) {
      body.drain(h.length(), h.length(), f);
      downloader.fail(job, f);
      return;
    }
    try {
      digest = hash == null ? null : PartFile.digestOfPrefix(job.target, h.offset());
    } catch (FileFailure f) {
      closeQuietly(channel);
      body.drain(h.length(), h.length(), f);
      downloader.fail(job, f);
      return;
    }
    if (!connection.holds(h.length())) {
      waitingForNetwork();  // a large body can take minutes: what is proven goes now
    }
    try {
      body.copyToFile(h.length(), channel, digest, downloader::received);
    } catch (SinkException e) {
      closeQuietly(channel);
      FileFailure f = Failures.local("write " + job.target.part(), e.local());
      body.drain(e.left(), h.length(), f);
      downloader.fail(job, f);
      return;
    } catch (IOException e) {
      closeQuietly(channel);
      throw e;
    }
    pending = new Received(job, h, channel, digest, hash, started);
    progressed = true;
  }

  private void checkSpace(Job job, GetHeader h) throws FileFailure {
    if (h.length() < PartFile.RESUMABLE_MIN) {
      return;  // a syscall per small file is not worth it; a full disk still fails the write
    }
    long free = downloader.usableSpace();
    if (free >= 0 && h.length() > free) {
      throw new FileFailure(FileFailure.NO_SPACE, "the server announces " + h.length()
          + " bytes but only " + free + " bytes are free in " + job.target.destination().getParent());
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

  /** Hands the proven files to be committed, in the order they arrived. */
  private void handOffProven() {
    if (proven.isEmpty()) {
      return;
    }
    List<Received> batch = proven;
    proven = new ArrayList<>(commitBatch);
    downloader.commit(batch, Received::job, this::commit);
  }

  /** Verifies, syncs and renames one file; runs on a committer thread so fsyncs overlap. */
  private void commit(Received p) {
    try {
      String hex = p.digest == null ? null : Sha256.hex(p.digest.digest());
      if (hex != null && !hex.equals(p.hash.hex())) {
        closeQuietly(p.channel);
        discardQuietly(p.job.target);
        downloader.retryOrFail(p.job, new FileFailure(FileFailure.CHECKSUM_MISMATCH, "received data has SHA-256 "
            + hex + " but the server's file has " + p.hash.hex() + "; not kept"), true);
        return;
      }
      if (PartFile.commit(p.job.target, p.channel, p.header.size(), settings.existing())) {
        long millis = (System.nanoTime() - p.started) / 1_000_000;
        downloader.done(p.job, new Done(p.header.size(), p.header.length(), millis, hex));
      } else {
        downloader.skip(p.job, "already exists");
      }
    } catch (FileFailure f) {
      downloader.fail(p.job, f);
    }
  }

  /** After the last answer: wait for the server to close, which proves the last body's length. */
  private void awaitEnd() throws IOException {
    waitingForNetwork();  // the server may take a while to close: the proven files go now
    for (Message m; (m = connection.readUntilEnd(settings.timeout())) != null; ) {
      commitPending();
      if (!(m instanceof ErrorMessage)) {
        throw unexpected("nothing", m);
      }
    }
    commitPending();
    handOffProven();
  }

  // ---- failure ----

  /** The connection is unusable: settle or hand back every job it holds. */
  private void broken(IOException e) {
    if (e instanceof SessionEnded s && ServerError.refusesSession(s.error)) {
      downloader.stop(ServerError.forSession(connection.address().toString(), s.error));
    }
    Received p = pending;
    pending = null;
    if (p != null) {
      closeQuietly(p.channel);
      downloader.retryOrFail(p.job, afterBody(p, e), false);
    }
    Job job = current;
    current = null;
    if (job == null) {
      return;
    }
    if (e instanceof AbandonedBodyException a) {
      if (a.failure() == null) {
        downloader.requeue(job);
      } else {
        downloader.retryOrFail(job, a.failure(), job.restart);
      }
    } else if (e instanceof SessionEnded s && s.error.code() == ErrorCode.TOO_MANY_REQUESTS.code()) {
      downloader.requeue(job);  // not the file's fault: reconnect and carry on
    } else {
      downloader.retryOrFail(job, duringAnswer(e), false);
    }
  }

  private FileFailure afterBody(Received p, IOException e) {
    if (e instanceof ProtocolException) {
      return new FileFailure(FileFailure.BAD_BODY, "the data after its " + p.header.length()
          + "-byte body is not a valid frame (did the server send more than it announced?): "
          + e.getMessage() + "; not kept");
    }
    return duringAnswer(e);
  }

  private FileFailure duringAnswer(IOException e) {
    String server = connection.address().toString();
    if (e instanceof ShortBodyException s) {
      return new FileFailure(FileFailure.SHORT_BODY, "the connection to " + server
          + " ended after " + s.received() + " of " + s.announced() + " announced bytes; partial file kept");
    }
    if (e instanceof SessionEnded s) {
      boolean refused = ServerError.isTransient(s.error) || ServerError.refusesSession(s.error);
      return new FileFailure(refused ? FileFailure.REFUSED : FileFailure.PROTOCOL, ServerError.text(s.error));
    }
    if (e instanceof ProtocolException) {
      return new FileFailure(FileFailure.PROTOCOL, server + " broke the protocol: " + e.getMessage());
    }
    if (e instanceof SocketTimeoutException) {
      return new FileFailure(FileFailure.CONNECTION, "no data from " + server + " for "
          + settings.timeout().toSeconds() + " s");
    }
    return new FileFailure(FileFailure.CONNECTION, "lost the connection to " + server + ": "
        + Failures.describe(e));
  }

  private static ProtocolException unexpected(String request, Message m) {
    return new ProtocolException(String.format("answered %s with message type 0x%02X", request, m.type()));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The file failed already; the first error is the one reported.
    }
  }

  private static void discardQuietly(Target target) {
    try {
      PartFile.discard(target);
    } catch (IOException ignored) {
      // A part that cannot be deleted is overwritten from zero next time: restart is set.
    }
  }

  /** A file whose body arrived whole, waiting for proof that the body ended where announced. */
  private record Received(Job job, GetHeader header, FileChannel channel, MessageDigest digest,
      HashResult hash, long started) {}

  /** The server sent a closing ERROR. */
  private static final class SessionEnded extends IOException {
    final ErrorMessage error;

    SessionEnded(ErrorMessage error) {
      super(ServerError.text(error));
      this.error = error;
    }
  }
}
