package lanfetch.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One answered request, as the access log records it.
 *
 * @param time when the request was taken up
 * @param client the client's address and port, "127.0.0.1:50412"
 * @param request the request type, "GET", "LIST", "STAT" or "HASH"
 * @param name the requested name as sent
 * @param status "OK", or the name of the error code answered ("NOT_FOUND"), or "ABORTED" when the
 *     connection was cut in the middle of the answer
 * @param bytes bytes sent in answer, frames and file body together
 * @param duration time from taking up the request to the last byte written
 * @param protocol what the client spoke: {@link #LANFETCH} (with or without TLS), {@link #HTTP} or
 *     {@link #HTTPS}; for HTTP, {@code request} is the method, {@code name} the request target as
 *     sent and {@code status} the status code
 */
public record AccessRecord(
    Instant time,
    String client,
    String request,
    String name,
    String status,
    long bytes,
    Duration duration,
    String protocol) {
  /** Status of an answer that completed normally. */
  public static final String OK = "OK";

  /** Status of an answer cut short because the connection failed or stalled. */
  public static final String ABORTED = "ABORTED";

  /** The lanfetch protocol, plain or over TLS. */
  public static final String LANFETCH = "lanfetch";

  /** HTTP/1.x in plain text. */
  public static final String HTTP = "http";

  /** HTTP/1.x over TLS. */
  public static final String HTTPS = "https";

  /** A lanfetch request's record. */
  public AccessRecord(
      Instant time,
      String client,
      String request,
      String name,
      String status,
      long bytes,
      Duration duration) {
    this(time, client, request, name, status, bytes, duration, LANFETCH);
  }

  public AccessRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(protocol, "protocol");
  }
}
