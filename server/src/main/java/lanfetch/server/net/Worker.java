package lanfetch.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.Message;
import lanfetch.server.AccessRecord;
import lanfetch.server.ServerConfig;
import lanfetch.server.files.Outcome;
import lanfetch.server.files.RequestHandler;
import lanfetch.server.http.HttpCall;
import lanfetch.server.http.HttpResponder;

/**
 * What a pool thread does with a connection's pipelined requests: answer them in order on the
 * socket, logging each, and flush the answers together at the end.
 */
final class Worker {
  /** Each pool thread gathers answers in its own buffer, allocated once. */
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(AnswerWriter.BUFFER_SIZE));

  private final ServerConfig config;
  private final RequestHandler handler;
  private final HttpResponder http;

  Worker(ServerConfig config, RequestHandler handler) {
    this.config = config;
    this.handler = handler;
    this.http = new HttpResponder(handler, config.clock());
  }

  /**
   * How a batch ended.
   *
   * @param answered how many of the requests were answered, from the first; the rest are still to
   *     be answered (or refused) by the caller
   * @param closeConnection whether the connection must be closed now
   * @param rest the last answer's body, left for the event loop to finish because the client did
   *     not keep up; null when every answer went out whole
   * @param endAfter whether the last answer was an ERROR that ends the connection (BUSY): it went
   *     out whole, and the connection closes the way a closing ERROR does
   */
  record Batch(int answered, boolean closeConnection, SendingBody rest, boolean endAfter) {
    Batch(int answered, boolean closeConnection) {
      this(answered, closeConnection, null, false);
    }
  }

  /**
   * One request answered: whether the connection must close at once, the body left to send, and
   * whether it ends after this answer.
   */
  private record Answered(boolean close, SendingBody rest, boolean endAfter) {}

  /**
   * Answers {@code requests} in order until one fails the connection or {@code stopping} says the
   * server is stopping, or a body is left for the loop; one request's answer at least.
   */
  Batch answer(ConnectionHandle conn, List<Message.Request> requests, BooleanSupplier stopping) {
    int answered = 0;
    boolean close = false;
    SendingBody rest = null;
    boolean endAfter = false;
    try (var out =
        new AnswerWriter(
            conn.channel(), config.maxFrameSize(), config.sendTimeout(), BUFFERS.get())) {
      try {
        while (answered < requests.size()
            && !close
            && rest == null
            && !endAfter
            && (answered == 0 || !stopping.getAsBoolean())) {
          Answered a = answer(conn, requests.get(answered++), out);
          close = a.close();
          rest = a.rest();
          endAfter = a.endAfter();
        }
      } finally {
        // Also when logging threw: what is buffered are whole answers, and the client gets them
        // before the caller closes the connection. Not after a failed answer: a client that
        // stopped reading would pin this thread again.
        if (!close) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // The flush or the closing of the writer's selector: the answers cannot all have gone out.
      config
          .log()
          .warn(
              conn.client(),
              conn.cutReason() != null
                  ? conn.cutReason()
                  : "answers not delivered: " + e.getMessage());
      close = true;
    }
    if (close && rest != null) {
      rest.close();
      rest = null;
    }
    return new Batch(answered, close, rest, endAfter && !close);
  }

  /**
   * Answers HTTP {@code calls} in order, as {@link #answer} answers lanfetch requests; {@code
   * protocol} is what the access log shows, "http" or "https".
   */
  Batch answerHttp(
      ConnectionHandle conn, List<HttpCall> calls, String protocol, BooleanSupplier stopping) {
    int answered = 0;
    boolean close = false;
    SendingBody rest = null;
    boolean endAfter = false;
    try (var out =
        new AnswerWriter(
            conn.channel(), config.maxFrameSize(), config.sendTimeout(), BUFFERS.get())) {
      try {
        while (answered < calls.size()
            && !close
            && rest == null
            && !endAfter
            && (answered == 0 || !stopping.getAsBoolean())) {
          Answered a = answerHttp(conn, calls.get(answered++), protocol, out);
          close = a.close();
          rest = a.rest();
          endAfter = a.endAfter();
        }
      } finally {
        if (!close) {
          out.flush();
        }
      }
    } catch (IOException e) {
      config
          .log()
          .warn(
              conn.client(),
              conn.cutReason() != null
                  ? conn.cutReason()
                  : "answers not delivered: " + e.getMessage());
      close = true;
    }
    if (close && rest != null) {
      rest.close();
      rest = null;
    }
    return new Batch(answered, close, rest, endAfter && !close);
  }

  private Answered answerHttp(
      ConnectionHandle conn, HttpCall call, String protocol, AnswerWriter out) {
    Instant start = config.clock().instant();
    long t0 = System.nanoTime();
    HttpResponder.Answered a = http.answer(call, out);
    AnswerWriter.Rest rest = out.takeRest();
    if (rest != null) {
      var body =
          new SendingBody(rest, start, t0, call.method(), call.target(), a.status(), protocol);
      return new Answered(false, body, false);
    }
    String problem = a.problem();
    if (conn.cutReason() != null && a.close()) {
      problem = conn.cutReason();
    }
    config
        .log()
        .access(
            new AccessRecord(
                start,
                conn.client(),
                call.method(),
                call.target(),
                a.status(),
                a.bytes(),
                Duration.ofNanos(System.nanoTime() - t0),
                protocol));
    if (problem != null) {
      config.log().warn(conn.client(), problem);
    }
    return new Answered(a.close(), null, a.endAfter());
  }

  private Answered answer(ConnectionHandle conn, Message.Request request, AnswerWriter out) {
    Instant start = config.clock().instant();
    long t0 = System.nanoTime();
    Outcome outcome = handler.handle(request, out);
    AnswerWriter.Rest rest = out.takeRest();
    if (rest != null) {
      // The access log gets the line when the loop has sent the last byte.
      return new Answered(false, new SendingBody(rest, start, t0, request.path()), false);
    }
    if (conn.cutReason() != null && outcome.closeConnection()) {
      // The loop closed the socket: a write then looks like a stalled or failed client.
      outcome = new Outcome(outcome.status(), outcome.bytes(), true, conn.cutReason());
    }
    var log = config.log();
    log.access(
        new AccessRecord(
            start,
            conn.client(),
            RequestHandler.typeName(request),
            request.path(),
            outcome.status(),
            outcome.bytes(),
            Duration.ofNanos(System.nanoTime() - t0)));
    if (outcome.problem() != null) {
      log.warn(conn.client(), outcome.problem());
    }
    return new Answered(outcome.closeConnection(), null, endsConnection(outcome.status()));
  }

  /** Whether {@code status} names an ERROR code that closes the connection, as BUSY does. */
  private static boolean endsConnection(String status) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.name().equals(status)) {
        return code.closesConnection();
      }
    }
    return false;
  }
}
