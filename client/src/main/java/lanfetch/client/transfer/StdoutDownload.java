package lanfetch.client.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.client.net.BodyReader;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.net.ServerError;
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
 * {@code -o -}: one file streamed to stdout. There is no part file to protect, so a cut
 * connection resumes from the bytes already written, provided the server's file is unchanged;
 * a change after bytes went out cannot be undone and fails the run instead.
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
      failure = new FileFailure(FileFailure.CONNECTION, e.getMessage());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (failure == null) {
      String hex = digest == null ? null : hash.hex();
      events.done(target, new Done(first.size(), written, millis, hex));
    } else if (stop == null) {  // stopped by a signal: the command says so, once
      events.failed(target.name(), target.destination(), failure);
    }
    int exit = fatal != null ? fatal.exitCode() : failure != null ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    var summary = new Summary(1, failure == null ? 1 : 0, 0, failure == null ? 0 : 1, written, millis, exit);
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
      try (c) {
        throwIfStopped();
        return fetch(c);
      } catch (FileFailure f) {
        throwIfStopped();
        // Only a cut connection is worth another try: other failures recur, and bytes are out.
        if (!f.code().equals(FileFailure.CONNECTION) || attempt >= settings.retries()) {
          return f;
        }
      } catch (IOException e) {
        throwIfStopped();
        if (attempt >= settings.retries()) {
          return new FileFailure(FileFailure.CONNECTION, "lost the connection to " + settings.server()
              + " after " + written + " bytes: " + Failures.describe(e));
        }
      }
      Thread.sleep(settings.backoff(attempt + 1).toMillis());
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
    if (askHash) {
      Message m = c.answer();
      if (m instanceof ErrorMessage e) {
        return ServerError.forFile(e);
      }
      hash = (HashResult) expect(m, HashResult.class);
    }
    Message m = c.answer();
    if (m instanceof ErrorMessage e) {
      return ServerError.forFile(e);
    }
    GetHeader h = (GetHeader) expect(m, GetHeader.class);
    FileFailure changed = checkHeader(h);
    if (changed != null) {
      return changed;
    }
    copy(new BodyReader(c.body()), h.length());
    return finish(c);
  }

  private FileFailure checkHeader(GetHeader h) throws ProtocolException {
    if (h.offset() != written || h.length() != h.size() - h.offset()) {
      throw new ProtocolException("answered GET from " + written + " with bytes " + h.offset()
          + "+" + h.length() + " of " + h.size());
    }
    boolean differs = first != null && (first.size() != h.size() || first.modifiedMillis() != h.modifiedMillis());
    boolean hashDiffers = hash != null && (hash.size() != h.size() || hash.modifiedMillis() != h.modifiedMillis());
    if (differs || hashDiffers) {
      return new FileFailure(FileFailure.CHANGED, "the file changed on the server after " + written
          + " bytes were written to stdout");
    }
    if (first == null) {
      first = h;
      events.started(target, h.size(), 0);
    }
    return null;
  }

  private void copy(BodyReader body, long length) throws IOException {
    try {
      body.copy(length, (bytes, n) -> {
        out.write(bytes, 0, n);
        written += n;
      }, digest, events::progress);
    } catch (SinkException e) {
      throw new FileFailure(FileFailure.LOCAL_IO, "cannot write to stdout: " + Failures.describe(e.local()));
    }
  }

  /**
   * After the body: the digest must match, and the server must send nothing but a frame. Every
   * byte is out by now, so the server's end is awaited as briefly as for files (a server may
   * keep the connection open: silence is success).
   */
  private FileFailure finish(ServerConnection c) throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      return new FileFailure(FileFailure.LOCAL_IO, "cannot write to stdout: " + Failures.describe(e));
    }
    try {
      for (Message m; (m = c.readUntilEnd(settings.timeout())) != null; ) {
        if (!(m instanceof ErrorMessage)) {
          throw new ProtocolException(String.format("sent an unrequested message of type 0x%02X", m.type()));
        }
      }
    } catch (ProtocolException e) {
      return new FileFailure(FileFailure.BAD_BODY, "the data after the body is not a valid frame (did the server"
          + " send more than it announced?): " + e.getMessage());
    }
    if (digest != null) {
      String hex = Sha256.hex(digest.digest());
      if (!hex.equals(hash.hex())) {
        return new FileFailure(FileFailure.CHECKSUM_MISMATCH, "the data written has SHA-256 " + hex
            + " but the server's file has " + hash.hex());
      }
    }
    return null;
  }

  private static Message expect(Message m, Class<? extends Message> type) throws ProtocolException {
    if (!type.isInstance(m)) {
      throw new ProtocolException(String.format("answered with message type 0x%02X", m.type()));
    }
    return m;
  }
}
