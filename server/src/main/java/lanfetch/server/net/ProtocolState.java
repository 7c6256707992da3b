package lanfetch.server.net;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.FrameDecoder;
import lanfetch.protocol.FrameTooLargeException;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;
import lanfetch.protocol.UnknownMessageTypeException;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;
import lanfetch.server.security.AccessToken;

/**
 * The protocol state of one connection, free of sockets and threads: bytes in, and out the
 * handshake reply, requests to answer, or the closing error that ends the session. Once a {@link
 * Inbound.Fail} has come out, further bytes are ignored.
 */
final class ProtocolState {
  private final FrameDecoder frames;
  private final String software;
  private final long maxRequests;

  /** The token clients must present; null when the server is open to all. */
  private final AccessToken token;

  private boolean welcomed;
  private boolean failed;
  private long requests;

  ProtocolState(int maxFrameSize, String software, long maxRequests) {
    this(maxFrameSize, software, maxRequests, null);
  }

  ProtocolState(int maxFrameSize, String software, long maxRequests, AccessToken token) {
    // Client frames are capped at the protocol's client limit, however large the server's own
    // frames may be: a thousand connections each announcing 64 KiB would otherwise pin 64 MB.
    this.frames = new FrameDecoder(Math.min(maxFrameSize, Wire.MAX_CLIENT_FRAME));
    this.software = software;
    this.maxRequests = maxRequests;
    this.token = token;
  }

  boolean welcomed() {
    return welcomed;
  }

  boolean failed() {
    return failed;
  }

  /** Whether a frame has started arriving and not finished. */
  boolean inFrame() {
    return frames.inFrame();
  }

  /** Consumes all of {@code in}, passing what it means to {@code out}. */
  void receive(ByteBuffer in, Consumer<Inbound> out) {
    while (!failed && in.hasRemaining()) {
      Inbound next = next(in);
      if (next != null) {
        out.accept(next);
      }
    }
  }

  /**
   * Consumes bytes from {@code in} up to the end of the next frame.
   *
   * @return what that frame means, or null if {@code in} ran out first (or the session failed
   *     earlier)
   */
  Inbound next(ByteBuffer in) {
    if (failed) {
      return null;
    }
    Message m;
    try {
      m = frames.next(in);
    } catch (ProtocolException e) {
      return fail(ErrorCode.BAD_REQUEST, describe(e));
    }
    if (m == null) {
      return null;
    }
    return welcomed ? request(m) : handshake(m);
  }

  private static String describe(ProtocolException e) {
    if (e instanceof FrameTooLargeException || e instanceof UnknownMessageTypeException) {
      return e.getMessage();
    }
    return "malformed frame: " + e.getMessage();
  }

  private Inbound handshake(Message m) {
    if (!(m instanceof Hello hello)) {
      return fail(
          ErrorCode.BAD_REQUEST,
          "expected HELLO as the first frame, got message type " + typeByte(m));
    }
    if (hello.version() < Wire.MIN_VERSION) {
      return fail(
          ErrorCode.UNSUPPORTED_VERSION,
          "client speaks protocol version "
              + hello.version()
              + "; this server speaks versions "
              + Wire.MIN_VERSION
              + " to "
              + Wire.VERSION);
    }
    if (token != null && !token.matches(hello.extensions().get(Wire.EXT_TOKEN))) {
      return fail(
          ErrorCode.UNAUTHORIZED,
          hello.extensions().containsKey(Wire.EXT_TOKEN)
              ? "wrong access token"
              : "this server requires an access token");
    }
    welcomed = true;
    int capabilities = hello.capabilities() & Wire.CAPABILITIES; // offered by both sides
    return new Inbound.Reply(
        new Welcome(Math.min(hello.version(), Wire.VERSION), capabilities, software));
  }

  private Inbound request(Message m) {
    if (!(m instanceof Message.Request request)) {
      return fail(
          ErrorCode.BAD_REQUEST,
          m instanceof Hello
              ? "HELLO after the handshake"
              : "message type " + typeByte(m) + " is not a request");
    }
    if (++requests > maxRequests) {
      return fail(
          ErrorCode.TOO_MANY_REQUESTS,
          "this connection used up its " + maxRequests + " requests; reconnect to continue");
    }
    return new Inbound.Work(request);
  }

  private Inbound fail(ErrorCode code, String message) {
    failed = true;
    return Inbound.Fail.of(code, message);
  }

  private static String typeByte(Message m) {
    return String.format(Locale.ROOT, "0x%02X", m.type());
  }
}
