package lanfetch.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import lanfetch.server.security.AccessToken;

/**
 * The HTTP side of one connection, free of sockets and threads: bytes in, {@link HttpCall}s out.
 * Parsing is Netty's {@link HttpRequestDecoder}, driven as a pure codec (an {@link EmbeddedChannel}
 * with no I/O of its own) from the server's event loop, so connection limits, deadlines, TLS and
 * shutdown cover HTTP exactly as they cover the lanfetch protocol.
 *
 * <p>The server takes no request bodies: a request that announces one ({@code Content-Length} other
 * than 0, or any {@code Transfer-Encoding}) is refused and the connection closed, so no body is
 * ever left for a later request to be smuggled in. After a refusal, further bytes are ignored.
 * Event-loop thread only.
 */
public final class HttpSession {
  /** Longest request line: method, target and version. Longer gets 414. */
  public static final int MAX_REQUEST_LINE = 8 * 1024;

  /** Longest header section, all fields together. Longer gets 431. */
  public static final int MAX_HEADERS = 16 * 1024;

  /** Bytes given to the decoder at a time, so a pipelining client cannot queue without bound. */
  private static final int SLICE = 4 * 1024;

  private final EmbeddedChannel decoder;
  private final AccessToken token;
  private final long maxRequests;
  private final Clock clock;

  private long requests;
  private boolean failed;
  private boolean inRequest;

  /** A request carried the right token since {@link #takeRightToken()} was last called. */
  private boolean rightTokenSeen;

  /**
   * @param token the token requests must carry, or null when the server is open to all
   * @param maxRequests requests answered on one connection; the last one closes it
   */
  public HttpSession(AccessToken token, long maxRequests, Clock clock) {
    this.token = token;
    this.maxRequests = maxRequests;
    this.clock = clock;
    this.decoder =
        new EmbeddedChannel(
            new Decoder(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(MAX_REQUEST_LINE)
                    .setMaxHeaderSize(MAX_HEADERS)
                    .setMaxChunkSize(SLICE)
                    .setValidateHeaders(true)));
    // Heap buffers freed with their requests: a thousand idle connections pin no pooled arenas.
    decoder.config().setAllocator(new UnpooledByteBufAllocator(false));
  }

  /** Whether a refusal ended the session; nothing more is decoded. */
  public boolean failed() {
    return failed;
  }

  /** Whether part of a request has arrived and the rest has not: the header deadline applies. */
  public boolean inRequest() {
    return inRequest && !failed;
  }

  /**
   * Whether a request carried the right token since the last call; the caller then forgets the
   * address's failures.
   */
  public boolean takeRightToken() {
    boolean seen = rightTokenSeen;
    rightTokenSeen = false;
    return seen;
  }

  /**
   * Decodes one slice of {@code in}, a few kilobytes at most, passing the requests it completes to
   * {@code out}; call again while {@code in} has bytes and the caller wants more requests.
   */
  public void receive(ByteBuffer in, Consumer<HttpCall> out) {
    if (failed) {
      in.position(in.limit());
      return;
    }
    int n = Math.min(in.remaining(), SLICE);
    ByteBuf slice = Unpooled.buffer(n);
    slice.writeBytes(in.slice(in.position(), n));
    in.position(in.position() + n);
    decoder.writeInbound(slice);
    boolean completed = false;
    Object msg;
    while ((msg = decoder.readInbound()) != null) {
      try {
        if (failed) {
          continue;
        }
        if (msg instanceof HttpRequest request) {
          completed = true;
          out.accept(take(request));
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
          out.accept(fail(400, "-", "-", "malformed request body: " + cause(content)));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    inRequest = !completed || bytesHeld();
  }

  private boolean bytesHeld() {
    var d = decoder.pipeline().get(Decoder.class);
    return d != null && d.held() > 0;
  }

  private HttpCall take(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    String method = result.isFailure() ? "-" : request.method().name();
    String target = result.isFailure() ? "-" : request.uri();
    if (result.isFailure()) {
      Throwable cause = result.cause();
      int status =
          cause instanceof TooLongHttpLineException
              ? 414
              : cause instanceof TooLongHttpHeaderException ? 431 : 400;
      return fail(status, method, target, "malformed HTTP request: " + cause(request));
    }
    var headers = request.headers();
    if (request.protocolVersion().majorVersion() != 1) {
      return fail(505, method, target, "HTTP version " + request.protocolVersion() + " requested");
    }
    boolean body =
        headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
            || headers.getAll(HttpHeaderNames.CONTENT_LENGTH).stream()
                .anyMatch(v -> !v.strip().equals("0"));
    boolean readOnly = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    if (body) {
      return readOnly
          ? fail(400, method, target, "a " + method + " request with a body")
          : refuse(HttpResponder.methodNotAllowed(clock.instant(), false), 405, method, target);
    }
    if (request.protocolVersion() == HttpVersion.HTTP_1_1
        && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
      return fail(400, method, target, "an HTTP/1.1 request without exactly one Host header");
    }
    if (token != null) {
      HttpCall refused = checkToken(headers.get(HttpHeaderNames.AUTHORIZATION), method, target);
      if (refused != null) {
        return refused;
      }
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && ++requests < maxRequests;
    if (!keepAlive) {
      // Nothing after this request is answered: the answer says so and the connection closes.
      failed = true;
    }
    return HttpCall.request(request, keepAlive);
  }

  private HttpCall checkToken(String authorization, String method, String target) {
    return switch (Credentials.check(authorization, token)) {
      case RIGHT -> {
        rightTokenSeen = true;
        yield null;
      }
      case NONE -> refuse(HttpResponder.unauthorized(clock.instant()), 401, method, target);
      case WRONG -> {
        failed = true;
        yield HttpCall.refused(
            method,
            target,
            HttpResponder.unauthorized(clock.instant()),
            401,
            "UNAUTHORIZED: wrong access token over HTTP",
            true);
      }
    };
  }

  private HttpCall refuse(byte[] response, int status, String method, String target) {
    failed = true;
    return HttpCall.refused(method, target, response, status, null, false);
  }

  private HttpCall fail(int status, String method, String target, String problem) {
    failed = true;
    byte[] response = HttpResponder.error(status, problem, false, false, false, clock.instant());
    return HttpCall.refused(method, target, response, status, problem, false);
  }

  private static String cause(io.netty.handler.codec.http.HttpObject o) {
    Throwable t = o.decoderResult().cause();
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /** The answer to a request whose head did not arrive within the deadline: 408, then close. */
  public byte[] requestTimeout(String why) {
    failed = true;
    return HttpResponder.error(408, why, false, false, false, clock.instant());
  }

  /** The answer when every worker is busy and the queue is full: 503, then close. */
  public byte[] overloaded(String why) {
    failed = true;
    return busy(why, clock.instant());
  }

  /** The answer to an HTTP client refused at accept (connection limits): 503, then close. */
  public static byte[] busy(String why, Instant now) {
    return HttpResponder.error(
        503,
        why,
        false,
        false,
        false,
        now,
        "Retry-After",
        Integer.toString(HttpResponder.RETRY_AFTER_SECONDS));
  }

  /** The answer to a plain HTTP request at a server that requires TLS: 400, then close. */
  public static byte[] httpsRequired(Instant now) {
    return HttpResponder.error(
        400,
        "this server requires TLS: open the https:// address it printed at startup",
        false,
        false,
        false,
        now);
  }

  /** The answer to a request that arrives while the server stops: 503, then close. */
  public byte[] shuttingDown() {
    failed = true;
    return HttpResponder.error(
        503, "the server is shutting down", false, false, false, clock.instant());
  }

  /** The library's decoder, saying how many bytes it holds undecoded. */
  private static final class Decoder extends HttpRequestDecoder {
    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    int held() {
      return actualReadableBytes();
    }
  }

  /** Releases what the decoder holds. */
  public void close() {
    decoder.finishAndReleaseAll();
  }
}
