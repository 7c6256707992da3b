package lanfetch.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.server.files.AnswerSink;
import lanfetch.server.files.ConnectionLostException;
import lanfetch.server.files.Outcome;
import lanfetch.server.files.RequestHandler;
import lanfetch.server.files.Target;

/**
 * Answers one HTTP request on a worker thread: a directory listing (HTML, or JSON on {@code ?json}
 * or {@code Accept: application/json}), a file (whole, one range, or several as {@code
 * multipart/byteranges}; {@code 304} for a cache that has it), or an error page. Names are found by
 * {@link RequestHandler#target}, the lanfetch protocol's own rules and code; its refusals map to
 * statuses: NOT_FOUND 404, FORBIDDEN 403, BUSY 503 with {@code Retry-After}.
 *
 * <p>Safe for many threads at once: it keeps nothing per request.
 */
public final class HttpResponder {
  /** Ranges answered as multipart/byteranges; more get the whole file. */
  static final int MAX_PARTS = 16;

  /** Bytes of several ranges read into memory for one multipart answer; more get the whole file. */
  static final int MAX_MULTIPART_BYTES = 1024 * 1024;

  /** Seconds a client is asked to wait after a 503. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final RequestHandler files;
  private final Clock clock;

  public HttpResponder(RequestHandler files, Clock clock) {
    this.files = Objects.requireNonNull(files, "files");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * How an answer ended, for the access log and the connection.
   *
   * @param status the status code sent, as the log shows it; "ABORTED" if the answer was cut short
   * @param bytes bytes put out, head and body
   * @param close whether the connection must close now, without a word: the answer was cut short
   * @param problem what went wrong, for a warning; null when nothing did
   * @param endAfter whether the connection ends after this answer, once it is sent: its body had no
   *     length (a streamed listing to an HTTP/1.0 client)
   */
  public record Answered(
      String status, long bytes, boolean close, String problem, boolean endAfter) {
    Answered(String status, long bytes, boolean close, String problem) {
      this(status, bytes, close, problem, false);
    }
  }

  /** Answers {@code call} into {@code out}. Never throws; a failure closes the connection. */
  public Answered answer(HttpCall call, HttpSink out) {
    out.startAnswer();
    try {
      return respond(call, out);
    } catch (ConnectionLostException e) {
      return aborted(out, e.getMessage());
    } catch (IOException e) {
      if (out.bytesSent() > 0 || !out.connected()) {
        return aborted(out, "answer to " + call.target() + " cut short: " + e);
      }
      try {
        boolean head = call.method().equals("HEAD");
        out.bytes(
            error(500, "cannot read the file", wantsJson(call), head, call.keepAlive(), now()));
        return new Answered("500", out.bytesSent(), false, "reading failed: " + e);
      } catch (IOException | RuntimeException again) {
        return aborted(out, again.toString());
      }
    } catch (RuntimeException e) {
      return aborted(out, "bug while answering " + call.target() + ": " + e);
    }
  }

  private static Answered aborted(AnswerSink out, String problem) {
    out.abandonAnswer();
    return new Answered("ABORTED", out.bytesSent(), true, problem);
  }

  private Instant now() {
    return clock.instant();
  }

  private Answered respond(HttpCall call, HttpSink out) throws IOException {
    boolean json = wantsJson(call);
    boolean head = call.method().equals("HEAD");
    if (!head && !call.method().equals("GET")) {
      return answered(send(out, methodNotAllowed(now(), call.keepAlive()), 405), out);
    }
    RequestTarget target;
    try {
      target = RequestTarget.parse(call.target());
    } catch (MalformedPathException e) {
      return answered(
          send(out, error(400, e.getMessage(), json, head, call.keepAlive(), now()), 400), out);
    }
    Target found = files.target(target.name());
    if (found instanceof Target.Refused r) {
      return answered(refused(r.error(), call, json, head, out), out);
    }
    if (found instanceof Target.Directory d) {
      if (!target.slash() && !target.name().isEmpty()) {
        String location = target.slashForm();
        var h =
            ResponseHead.of(301, now())
                .header("Location", location)
                .header("Content-Length", 0)
                .connection(call.keepAlive());
        return answered(send(out, h.bytes(), 301), out);
      }
      return listing(d, target, call, json, head, out);
    }
    var file = (Target.File) found;
    if (target.slash()) {
      file.close();
      String detail = "not a directory: /" + target.name() + "/";
      return answered(send(out, error(404, detail, json, head, call.keepAlive(), now()), 404), out);
    }
    return answered(file(file, target, call, head, out), out);
  }

  private int send(HttpSink out, byte[] response, int status) throws IOException {
    out.bytes(response);
    return status;
  }

  private int refused(ErrorMessage error, HttpCall call, boolean json, boolean head, HttpSink out)
      throws IOException {
    ErrorCode code = error.errorCode().orElse(ErrorCode.INTERNAL);
    int status = statusOf(code);
    byte[] response =
        status == 503
            ? error(
                503,
                error.message(),
                json,
                head,
                call.keepAlive(),
                now(),
                "Retry-After",
                Integer.toString(RETRY_AFTER_SECONDS))
            : error(status, error.message(), json, head, call.keepAlive(), now());
    return send(out, response, status);
  }

  /** The HTTP status for what the lanfetch protocol would answer. */
  static int statusOf(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND, NOT_A_DIRECTORY, NOT_A_FILE -> 404;
      case FORBIDDEN -> 403;
      case INVALID_NAME, BAD_REQUEST, INVALID_RANGE -> 400;
      case BUSY, SHUTTING_DOWN -> 503;
      case UNAUTHORIZED -> 401;
      default -> 500;
    };
  }

  // ---- listings ----

  /**
   * A listing, streamed: each LIST chunk is rendered and written as it comes, through the same
   * writer (and so the same backpressure and send-stall deadline) as a lanfetch LIST answer, so a
   * directory of any size costs one chunk of memory. HTTP/1.1 gets {@code Transfer-Encoding:
   * chunked}; HTTP/1.0 gets no length and the end of the connection. The HTML page shows
   * directories first ({@link RequestHandler#listDirectoriesFirst}: the directory read twice under
   * one admission, no entry held); JSON keeps the server's order. The head goes out with the first
   * chunk: an error before it (not found, BUSY, which can only come before) is still a 4xx or 503;
   * one after it (the directory gone between the two reads, a failed write) cuts the answer short
   * (no final chunk, the connection reset), which the client sees as incomplete. HEAD lists
   * nothing: no length is announced.
   */
  private Answered listing(
      Target.Directory dir,
      RequestTarget target,
      HttpCall call,
      boolean json,
      boolean head,
      HttpSink out)
      throws IOException {
    boolean chunked = !call.http10();
    var h =
        ResponseHead.of(200, now())
            .header("Content-Type", json ? "application/json" : "text/html; charset=utf-8")
            .header("Cache-Control", "no-cache")
            .header("Vary", "Accept");
    if (chunked) {
      h.header("Transfer-Encoding", "chunked").connection(call.keepAlive());
    } else {
      h.connection(false);
    }
    if (head) {
      out.bytes(h.bytes());
      return new Answered("200", out.bytesSent(), false, null, !chunked);
    }
    var stream = new ListingStream(h, chunked, out);
    ListingPage.Html html = json ? null : new ListingPage.Html(target.segments());
    ListingPage.Json js = json ? new ListingPage.Json(target.segments()) : null;
    stream.renderer = json ? js::rows : html::rows;
    stream.pageHead = json ? js.head() : html.head();
    Outcome o =
        json
            ? files.handle(new ListRequest(dir.name(), false), stream)
            : files.listDirectoriesFirst(dir.name(), stream);
    if (stream.lost != null) {
      throw stream.lost;
    }
    if (stream.error != null && !stream.headSent) {
      return answered(refused(stream.error, call, json, head, out), out);
    }
    if (stream.error != null || o.closeConnection()) {
      String why = stream.error != null ? stream.error.message() : o.problem();
      return aborted(out, "listing of /" + dir.name() + " failed after its head went out: " + why);
    }
    stream.headIfNotYet();
    stream.chunk(json ? js.foot() : html.foot());
    if (chunked) {
      out.bytes(LAST_CHUNK);
    }
    return new Answered("200", out.bytesSent(), false, null, !chunked);
  }

  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};

  private static Answered answered(int status, AnswerSink out) {
    return new Answered(Integer.toString(status), out.bytesSent(), false, null);
  }

  /**
   * Where the LIST answer goes: each chunk's entries are rendered and written at once; an ERROR, or
   * a failure to write, is kept for the responder.
   */
  private static final class ListingStream implements AnswerSink {
    private final ResponseHead responseHead;
    private final boolean chunked;
    private final HttpSink out;
    java.util.function.Function<List<Entry>, byte[]> renderer;
    byte[] pageHead;

    boolean headSent;
    ErrorMessage error;
    IOException lost;
    private long entries;

    ListingStream(ResponseHead responseHead, boolean chunked, HttpSink out) {
      this.responseHead = responseHead;
      this.chunked = chunked;
      this.out = out;
    }

    @Override
    public void startAnswer() {
      entries = 0;
      error = null;
    }

    @Override
    public long bytesSent() {
      return entries;
    }

    @Override
    public void abandonAnswer() {}

    @Override
    public boolean connected() {
      return out.connected();
    }

    @Override
    public void frame(Message message) throws IOException {
      if (message instanceof ErrorMessage e) {
        error = e;
      } else if (message instanceof ListChunk c) {
        try {
          headIfNotYet();
          entries += c.entries().size();
          chunk(renderer.apply(c.entries()));
        } catch (IOException e) {
          lost = e;
          throw e;
        }
      }
    }

    void headIfNotYet() throws IOException {
      if (!headSent) {
        headSent = true;
        out.bytes(responseHead.bytes());
        chunk(pageHead);
      }
    }

    /** Writes {@code data} as one chunk, or as it is on HTTP/1.0; nothing for none. */
    void chunk(byte[] data) throws IOException {
      if (data.length == 0) {
        return; // an empty chunk would end the body
      }
      if (chunked) {
        out.bytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.bytes(data);
        out.bytes(CRLF);
      } else {
        out.bytes(data);
      }
    }

    @Override
    public void flush() throws IOException {}

    @Override
    public boolean body(FileChannel file, long position, long length, boolean zeroCopy) {
      throw new IllegalStateException("a listing has no file body");
    }
  }

  // ---- files ----

  private int file(Target.File f, RequestTarget target, HttpCall call, boolean head, HttpSink out)
      throws IOException {
    boolean handedOver = false;
    try {
      String etag = etag(f);
      long mtime = f.modifiedMillis();
      String lastModified = ResponseHead.HTTP_DATE.format(Instant.ofEpochMilli(mtime));
      if (notModified(call, etag, mtime)) {
        var h =
            ResponseHead.of(304, now())
                .header("ETag", etag)
                .header("Last-Modified", lastModified)
                .connection(call.keepAlive());
        return send(out, h.bytes(), 304);
      }
      long size = f.size();
      Optional<List<ByteRanges.Range>> ranges =
          call.range() != null && rangeApplies(call.ifRange(), etag, lastModified)
              ? ByteRanges.parse(call.range(), size)
              : Optional.empty();
      if (ranges.isPresent() && ranges.get().isEmpty()) {
        byte[] response =
            error(
                416,
                "no byte of the range " + call.range() + " is inside the file's " + size,
                false,
                head,
                call.keepAlive(),
                now(),
                "Content-Range",
                "bytes */" + size);
        return send(out, response, 416);
      }
      var h = ResponseHead.of(ranges.isPresent() && servesParts(ranges.get()) ? 206 : 200, now());
      h.header("Last-Modified", lastModified).header("ETag", etag).header("Accept-Ranges", "bytes");
      if (target.download()) {
        h.header("Content-Disposition", contentDisposition(f.name()));
      }
      String type = MimeTypes.of(f.name());
      if (h.status() == 206 && ranges.get().size() > 1) {
        return multipart(f, ranges.get(), type, h, call, head, out);
      }
      ByteRanges.Range r =
          h.status() == 206 ? ranges.get().get(0) : new ByteRanges.Range(0, size - 1);
      if (h.status() == 206) {
        h.header("Content-Range", r.contentRange(size));
      }
      long length = size == 0 ? 0 : r.length();
      h.header("Content-Type", type).header("Content-Length", length).connection(call.keepAlive());
      out.bytes(h.bytes());
      if (!head && length > 0) {
        handedOver = out.body(f.channel(), r.first(), length, f.zeroCopy());
      }
      return h.status();
    } finally {
      if (!handedOver) {
        f.close();
      }
    }
  }

  /** Whether several ranges are answered as parts; else the whole file goes out (200). */
  private static boolean servesParts(List<ByteRanges.Range> ranges) {
    if (ranges.size() == 1) {
      return true;
    }
    long total = ranges.stream().mapToLong(ByteRanges.Range::length).sum();
    return ranges.size() <= MAX_PARTS
        && total <= MAX_MULTIPART_BYTES
        && !ByteRanges.overlap(ranges);
  }

  private int multipart(
      Target.File f,
      List<ByteRanges.Range> ranges,
      String type,
      ResponseHead h,
      HttpCall call,
      boolean head,
      HttpSink out)
      throws IOException {
    String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 62);
    var body = new java.io.ByteArrayOutputStream();
    for (ByteRanges.Range r : ranges) {
      String partHead =
          "\r\n--"
              + boundary
              + "\r\nContent-Type: "
              + type
              + "\r\nContent-Range: "
              + r.contentRange(f.size())
              + "\r\n\r\n";
      body.writeBytes(partHead.getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(read(f.channel(), r));
    }
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    h.header("Content-Type", "multipart/byteranges; boundary=" + boundary)
        .header("Content-Length", body.size())
        .connection(call.keepAlive());
    out.bytes(head ? h.bytes() : h.with(body.toByteArray()));
    return 206;
  }

  private static byte[] read(FileChannel channel, ByteRanges.Range r) throws IOException {
    var buf = ByteBuffer.allocate((int) r.length());
    long pos = r.first();
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new EOFException("file shrank while reading bytes " + r.first() + "-" + r.last());
      }
      pos += n;
    }
    return buf.array();
  }

  /** A strong validator: size, modification time and the file's identity (device and inode). */
  static String etag(Target.File f) {
    return "\""
        + Long.toHexString(f.size())
        + "-"
        + Long.toHexString(f.modifiedMillis())
        + "-"
        + Integer.toHexString(f.identity().hashCode())
        + "\"";
  }

  /** If-None-Match first; If-Modified-Since only without it (RFC 9110, section 13.2.2). */
  private static boolean notModified(HttpCall call, String etag, long mtimeMillis) {
    String inm = call.ifNoneMatch();
    if (!inm.isBlank()) {
      for (String tag : inm.split(",")) {
        String t = tag.strip();
        if (t.equals("*") || weak(t).equals(etag)) {
          return true;
        }
      }
      return false;
    }
    Instant since = parseDate(call.ifModifiedSince());
    return since != null && mtimeMillis / 1000 <= since.getEpochSecond();
  }

  private static String weak(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** If-Range: the range applies only to the representation the client already has part of. */
  private static boolean rangeApplies(String ifRange, String etag, String lastModified) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.strip();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return v.equals(etag); // strong comparison: a weak tag never matches
    }
    return v.equals(lastModified);
  }

  private static Instant parseDate(String date) {
    if (date == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null; // an invalid date is ignored (RFC 9110, section 13.1.3)
    }
  }

  /** RFC 6266: an ASCII fallback for old clients, and the exact name in UTF-8. */
  static String contentDisposition(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    var ascii = new StringBuilder();
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
    }
    return "attachment; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + PercentEncoding.encodeSegment(base);
  }

  private static boolean wantsJson(HttpCall call) {
    return RequestTarget.hasQueryKey(call.target(), "json")
        || call.accept().toLowerCase(Locale.ROOT).contains("application/json");
  }

  // ---- responses the event loop sends too ----

  /**
   * A complete error response: a small page, or JSON.
   *
   * @param headers more header fields, as name, value, name, value...
   */
  static byte[] error(
      int status,
      String detail,
      boolean json,
      boolean head,
      boolean keepAlive,
      Instant now,
      String... headers) {
    String reason = ResponseHead.reason(status);
    byte[] body =
        json ? ErrorPage.json(status, reason, detail) : ErrorPage.html(status, reason, detail);
    var h =
        ResponseHead.of(status, now)
            .header("Content-Type", json ? "application/json" : "text/html; charset=utf-8")
            .header("Content-Length", body.length)
            .header("Cache-Control", "no-store");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.header(headers[i], headers[i + 1]);
    }
    h.connection(keepAlive);
    return head ? h.bytes() : h.with(body);
  }

  static byte[] methodNotAllowed(Instant now, boolean keepAlive) {
    return error(
        405, "only GET and HEAD are served", false, false, keepAlive, now, "Allow", "GET, HEAD");
  }

  static byte[] unauthorized(Instant now) {
    return error(
        401,
        "this server requires an access token: give any user name and the token as the password",
        false,
        false,
        false,
        now,
        "WWW-Authenticate",
        "Basic realm=\"lanfetch\"");
  }
}
