package lanfetch.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import lanfetch.protocol.Message;

/** What a pool thread does with one request: answer it on the socket, then log it. */
final class Worker {
  private final ServerConfig config;
  private final RequestHandler handler;

  Worker(ServerConfig config, RequestHandler handler) {
    this.config = config;
    this.handler = handler;
  }

  Outcome answer(Connection conn, Message.Request request) {
    Instant start = config.clock().instant();
    long t0 = System.nanoTime();
    Outcome outcome;
    try (var out = new AnswerWriter(conn.io, config.maxFrameSize(), config.sendTimeout())) {
      outcome = handler.handle(request, out);
    } catch (IOException e) {
      outcome = new Outcome(AccessRecord.ABORTED, 0, true, "cannot wait for the client: " + e);
    }
    if (conn.cutReason != null && outcome.closeConnection()) {
      // The loop closed the socket: a write then looks like a stalled or failed client.
      outcome = new Outcome(outcome.status(), outcome.bytes(), true, conn.cutReason);
    }
    var log = config.log();
    log.access(new AccessRecord(start, conn.client, RequestHandler.typeName(request),
        request.path(), outcome.status(), outcome.bytes(), Duration.ofNanos(System.nanoTime() - t0)));
    if (outcome.problem() != null) {
      log.warn(conn.client, outcome.problem());
    }
    return outcome;
  }
}
