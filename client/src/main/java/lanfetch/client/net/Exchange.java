package lanfetch.client.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import lanfetch.client.FailureCode;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.ServerAddress;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;

/**
 * The answers to one file's requests: a HASH_RESULT when a HASH was sent (--verify), then the
 * GET_HEADER, either of them possibly an ERROR instead (PROTOCOL.md section 6). Reads them in
 * order, checks them against the request and against each other, and tells the caller what to do
 * with the body that may follow: the pipelined download and the download to stdout share these
 * rules.
 *
 * <p>An answer that breaks the protocol (a message of the wrong type, a header for another range
 * than the one asked) is a {@link ProtocolException}; a closing ERROR is a {@link
 * SessionEndedException}. Everything else is an {@link Outcome}.
 *
 * <p>One instance serves a connection for all its files, one at a time: the header, hash and
 * failure of the last {@link #read} stay available until the next, so reading an answer allocates
 * nothing beyond the messages themselves.
 */
public final class Exchange {
  /** Where the answers come from, in order; never null (the end of the stream is an exception). */
  public interface Answers {
    Message next() throws IOException;
  }

  /** What the answers say to do next. */
  public enum Outcome {
    /** The body the request asked for follows: {@link #header()}, and {@link #hash()} if asked. */
    BODY,
    /** An ERROR answered the GET ({@link #failure()}); no body follows. */
    REFUSED,
    /**
     * INVALID_RANGE for a resumed request: the file shrank below the partial copy; no body follows.
     */
    SHRANK,
    /**
     * The file's size or mtime is not the one the partial copy was made from; the body follows,
     * unwanted.
     */
    STALE_PARTIAL,
    /**
     * HASH and GET describe two versions: the file changed between them ({@link #failure()}); the
     * body follows, unwanted.
     */
    CHANGED,
    /** An ERROR answered the HASH ({@link #failure()}); the GET's body follows, unwanted. */
    HASH_REFUSED
  }

  private final Answers answers;
  private GetHeader header;
  private HashResult hash;
  private FileFailure failure;

  public Exchange(Answers answers) {
    this.answers = answers;
  }

  /**
   * Reads the answers to the requests for {@code name}.
   *
   * @param hashAsked whether a HASH went before the GET
   * @param offset where the GET asked the body to start
   * @param expectedSize the size the bytes already held were taken from, or -1 when none are held
   *     or any version will do
   * @param expectedMillis the mtime that goes with {@code expectedSize}
   * @throws SessionEndedException for a closing ERROR
   * @throws ProtocolException for an answer that breaks the protocol
   */
  public Outcome read(
      String name, boolean hashAsked, long offset, long expectedSize, long expectedMillis)
      throws IOException {
    header = null;
    hash = null;
    failure = null;
    FileFailure hashFailure = null;
    if (hashAsked) {
      Message m = answers.next();
      if (m instanceof HashResult h) {
        hash = h;
      } else if (m instanceof ErrorMessage e) {
        hashFailure = perFile(e, name);
      } else {
        throw unexpected("HASH", m);
      }
    }
    Message m = answers.next();
    if (m instanceof ErrorMessage e) {
      failure = perFile(e, name);
      return e.code() == ErrorCode.INVALID_RANGE.code() && offset > 0
          ? Outcome.SHRANK
          : Outcome.REFUSED;
    }
    if (!(m instanceof GetHeader h)) {
      throw unexpected("GET", m);
    }
    if (h.offset() != offset || h.length() != h.size() - h.offset()) {
      throw new ProtocolException(
          "answered GET "
              + name
              + " from "
              + offset
              + " with bytes "
              + h.offset()
              + "+"
              + h.length()
              + " of "
              + h.size());
    }
    header = h;
    if (expectedSize >= 0 && (h.size() != expectedSize || h.modifiedMillis() != expectedMillis)) {
      return Outcome.STALE_PARTIAL;
    }
    if (hashFailure != null) {
      failure = hashFailure;
      return Outcome.HASH_REFUSED;
    }
    if (hash != null && (hash.size() != h.size() || hash.modifiedMillis() != h.modifiedMillis())) {
      failure =
          new FileFailure(
              FailureCode.CHANGED, "the file changed on the server while it was being fetched");
      return Outcome.CHANGED;
    }
    return Outcome.BODY;
  }

  /**
   * Reads the answer to an empty GET for {@code name} ({@code offset} bytes in, {@code length} 0),
   * which tells the file's size and mtime: {@link Outcome#BODY} with {@link #header()} (no bytes
   * follow); {@link Outcome#SHRANK} if the file is shorter than {@code offset}; else {@link
   * Outcome#REFUSED} with {@link #failure()}.
   */
  public Outcome probe(String name, long offset) throws IOException {
    header = null;
    hash = null;
    failure = null;
    Message m = answers.next();
    if (m instanceof ErrorMessage e) {
      failure = perFile(e, name);
      return e.code() == ErrorCode.INVALID_RANGE.code() ? Outcome.SHRANK : Outcome.REFUSED;
    }
    if (!(m instanceof GetHeader h)) {
      throw unexpected("GET", m);
    }
    if (h.offset() != offset || h.length() != 0) {
      throw new ProtocolException(
          "answered an empty GET "
              + name
              + " from "
              + offset
              + " with bytes "
              + h.offset()
              + "+"
              + h.length()
              + " of "
              + h.size());
    }
    header = h;
    return Outcome.BODY;
  }

  /** The GET_HEADER of the last read; null if an ERROR answered the GET. */
  public GetHeader header() {
    return header;
  }

  /** The HASH_RESULT of the last read; null if no HASH was asked or an ERROR answered it. */
  public HashResult hash() {
    return hash;
  }

  /** Why the file failed, for the outcomes that say so; else null. */
  public FileFailure failure() {
    return failure;
  }

  /** A non-closing ERROR as the file's failure; a closing one ends the session. */
  private static FileFailure perFile(ErrorMessage e, String name) throws SessionEndedException {
    if (e.closing()) {
      throw new SessionEndedException(e);
    }
    return ServerError.forFile(e, name);
  }

  private static ProtocolException unexpected(String request, Message m) {
    return new ProtocolException(
        String.format(
            java.util.Locale.ROOT, "answered %s with message type 0x%02X", request, m.type()));
  }

  /**
   * The failure of a file whose answer or body was being read when the connection failed with
   * {@code e}.
   *
   * @param timeout the read timeout, named when the server went silent
   */
  public static FileFailure failureDuring(IOException e, ServerAddress server, Duration timeout) {
    if (e instanceof ShortBodyException s) {
      return new FileFailure(
          FailureCode.SHORT_BODY,
          "the connection to "
              + server
              + " ended after "
              + s.received()
              + " of "
              + s.announced()
              + " announced bytes; partial file kept");
    }
    if (e instanceof SessionEndedException s) {
      boolean refused = ServerError.isTransient(s.error()) || ServerError.refusesSession(s.error());
      return new FileFailure(
          refused ? FailureCode.REFUSED : FailureCode.PROTOCOL, ServerError.text(s.error()));
    }
    if (e instanceof ProtocolException) {
      return new FileFailure(
          FailureCode.PROTOCOL, server + " broke the protocol: " + e.getMessage());
    }
    if (e instanceof SocketTimeoutException) {
      return new FileFailure(
          FailureCode.CONNECTION, "no data from " + server + " for " + timeout.toSeconds() + " s");
    }
    return new FileFailure(
        FailureCode.CONNECTION, "lost the connection to " + server + ": " + Failures.describe(e));
  }

  /**
   * The failure of a file whose {@code length}-byte body arrived whole, when what came after it
   * failed with {@code e}: a frame that does not parse means the body was longer than announced.
   */
  public static FileFailure failureAfterBody(
      long length, IOException e, ServerAddress server, Duration timeout) {
    if (e instanceof ProtocolException) {
      return new FileFailure(
          FailureCode.BAD_BODY,
          "the data after its "
              + length
              + "-byte body is not a valid frame (did the server send more than it announced?): "
              + e.getMessage()
              + "; not kept");
    }
    return failureDuring(e, server, timeout);
  }
}
