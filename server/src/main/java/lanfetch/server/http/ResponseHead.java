package lanfetch.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A response's status line and header fields, as bytes. Every response carries {@code Date} and the
 * two headers that keep a browser from running what the server lists or sends: {@code
 * X-Content-Type-Options: nosniff} and {@link #CSP}. Values are ours (names are percent-encoded
 * before they get here); one with a line break is a bug, refused rather than sent.
 */
final class ResponseHead {
  /** No script, no plugin, no remote anything; inline style and our own images only. */
  static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";

  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final StringBuilder text = new StringBuilder(256);
  private final int status;

  private ResponseHead(int status, Instant now) {
    this.status = status;
    text.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    header("Date", HTTP_DATE.format(now));
    header("X-Content-Type-Options", "nosniff");
    header("Content-Security-Policy", CSP);
  }

  static ResponseHead of(int status, Instant now) {
    return new ResponseHead(status, now);
  }

  static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  int status() {
    return status;
  }

  ResponseHead header(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c >= 0x7F) {
        throw new IllegalArgumentException("header " + name + " value has character " + (int) c);
      }
    }
    text.append(name).append(": ").append(value).append("\r\n");
    return this;
  }

  ResponseHead header(String name, long value) {
    text.append(name).append(": ").append(value).append("\r\n");
    return this;
  }

  /** Adds {@code Connection: close} unless the connection stays open. */
  ResponseHead connection(boolean keepAlive) {
    return keepAlive ? this : header("Connection", "close");
  }

  byte[] bytes() {
    return text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The head followed by {@code body}, in one array. */
  byte[] with(byte[] body) {
    byte[] head = bytes();
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
