package lanfetch.client.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.ExitCodes;
import lanfetch.client.FailureCode;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.client.net.BodyReader;
import lanfetch.client.net.Exchange;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.net.ServerError;
import lanfetch.client.net.SessionEndedException;
import lanfetch.client.net.SinkException;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;
import lanfetch.protocol.Sha256;

/**
 * {@code -o -}: one file streamed to stdout. There is no part file to protect, so a cut connection
 * resumes from the bytes already written, provided the server's file is unchanged; a change after
 * bytes went out cannot be undone and fails the run instead.
 */
public final class StdoutDownload {
  private final Settings settings;
  private final Target target;
  private final OutputStream out;
  private final Events events;
  private final MessageDigest digest;
  private HashResult hash;
  private GetHeader first;
  private long written;
  private volatile ServerConnection current;
  private volatile RunException stop;

  public StdoutDownload(Settings settings, String name, OutputStream out, Events events) {
    this.settings = settings;
    this.target = new Target(name, Path.of("-"), -1);
    this.out = out;
    this.events = events;
    this.digest = settings.verify() ? Sha256.newDigest() : null;
  }

  public Summary run() throws InterruptedException {
    long start = System.nanoTime();
    events.planned(1, 0);
    FileFailure failure = null;
    RunException fatal = null;
    try {
      failure = fetchWithRetries();
    } catch (RunException e) {
      fatal = e;
      failure = new FileFailure(FailureCode.CONNECTION, e.getMessage());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (failure == null) {
      String hex = digest == null ? null : hash.hex();
      events.done(target, new Done(first.size(), written, millis, hex));
    } else if (stop == null) { // stopped by a signal: the command says so, once
      events.failed(target.name(), target.destination(), failure);
    }
    int exit =
        fatal != null
            ? fatal.exitCode()
            : failure == null
                ? ExitCodes.OK
                : failure.code() == FailureCode.PROTOCOL
                    ? ExitCodes.PROTOCOL
                    : ExitCodes.SOME_FAILED;
    var summary =
        new Summary(1, failure == null ? 1 : 0, 0, failure == null ? 0 : 1, written, millis, exit);
    events.finished(summary);
    return summary;
  }

  /** Stops the transfer from another thread (a signal); what went to stdout stays written. */
  public void interrupt(RunException e) {
    stop = e;
    ServerConnection c = current;
    if (c != null) {
      c.close();
    }
  }

  private FileFailure fetchWithRetries() throws RunException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      throwIfStopped();
      ServerConnection c = ServerConnection.openRetrying(settings);
      current = c;
      FileFailure failure;
      try (c) {
        throwIfStopped();
        return fetch(c);
      } catch (FileFailure f) {
        throwIfStopped();
        // Only a cut connection is worth another try: other failures recur, and bytes are out.
        if (f.code() != FailureCode.CONNECTION || attempt >= settings.retries()) {
          return f;
        }
        failure = f;
      } catch (ProtocolException e) {
        throwIfStopped(); // broken, not cut: asking again gets the same answer
        return new FileFailure(
            FailureCode.PROTOCOL, settings.server() + " broke the protocol: " + e.getMessage());
      } catch (IOException e) {
        throwIfStopped();
        failure =
            new FileFailure(
                FailureCode.CONNECTION,
                "lost the connection to "
                    + settings.server()
                    + " after "
                    + written
                    + " bytes: "
                    + Failures.describe(e));
        if (attempt >= settings.retries()) {
          return failure;
        }
      }
      settings.pauseBeforeRetry(failure.getMessage(), attempt + 1);
    }
  }

  private void throwIfStopped() throws RunException {
    if (stop != null) {
      throw stop;
    }
  }

  /** One attempt; null when the whole file went out. */
  private FileFailure fetch(ServerConnection c) throws IOException {
    boolean askHash = digest != null && hash == null;
    if (askHash) {
      c.send(new HashRequest(target.name()));
    }
    c.send(GetRequest.from(target.name(), written));
    c.finishRequests();
    var exchange = new Exchange(c::answer);
    // The version the bytes already written belong to, if any: a resume must get the same one.
    GetHeader known = first;
    long expectedSize = known != null ? known.size() : hash != null ? hash.size() : -1;
    long expectedMillis =
        known != null ? known.modifiedMillis() : hash != null ? hash.modifiedMillis() : 0;
    Exchange.Outcome outcome;
    try {
      outcome = exchange.read(target.name(), askHash, written, expectedSize, expectedMillis);
    } catch (SessionEndedException e) {
      return ServerError.forFile(
          e.error()); // the server refused, not a cut connection: not retried
    }
    if (exchange.hash() != null) {
      hash = exchange.hash();
    }
    switch (outcome) {
      case BODY -> started(exchange.header());
      case STALE_PARTIAL, CHANGED -> {
        return new FileFailure(
            FailureCode.CHANGED,
            "the file changed on the server after " + written + " bytes were written to stdout");
      }
      default -> {
        return exchange.failure();
      }
    }
    copy(new BodyReader(c.body()), exchange.header().length());
    return finish(c);
  }

  private void started(GetHeader h) {
    if (first == null) {
      first = h;
      events.started(target, h.size(), 0);
    }
  }

  private void copy(BodyReader body, long length) throws IOException {
    try {
      body.copy(
          length,
          (bytes, n) -> {
            out.write(bytes, 0, n);
            written += n;
          },
          digest,
          events::progress);
    } catch (SinkException e) {
      throw new FileFailure(
          FailureCode.LOCAL_IO, "cannot write to stdout: " + Failures.describe(e.local()));
    }
  }

  /**
   * After the body: the digest must match, and the server must send nothing but a frame. Every byte
   * is out by now, so the server's end is awaited as briefly as for files (a server may keep the
   * connection open: silence is success).
   */
  private FileFailure finish(ServerConnection c) throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      return new FileFailure(
          FailureCode.LOCAL_IO, "cannot write to stdout: " + Failures.describe(e));
    }
    try {
      for (Message m; (m = c.readUntilEnd(settings.timeout())) != null; ) {
        if (!(m instanceof ErrorMessage)) {
          throw new ProtocolException(
              String.format(
                  java.util.Locale.ROOT, "sent an unrequested message of type 0x%02X", m.type()));
        }
      }
    } catch (ProtocolException e) {
      return new FileFailure(
          FailureCode.BAD_BODY,
          "the data after the body is not a valid frame (did the server"
              + " send more than it announced?): "
              + e.getMessage());
    }
    if (digest != null) {
      String hex = Sha256.hex(digest.digest());
      if (!hex.equals(hash.hex())) {
        return new FileFailure(
            FailureCode.CHECKSUM_MISMATCH,
            "the data written has SHA-256 " + hex + " but the server's file has " + hash.hex());
      }
    }
    return null;
  }
}
