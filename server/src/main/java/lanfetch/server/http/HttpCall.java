package lanfetch.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One HTTP request as {@link HttpSession} decoded it: either a request for the {@link
 * HttpResponder} to answer on a worker, or a refusal already decided on the event loop (a malformed
 * request, a missing token), whose response is ready to send before the connection closes. Keeps
 * the few header values the responder reads, not the library's request object.
 */
public final class HttpCall {
  // A request to answer.
  private final String method;
  private final String target;
  private final boolean keepAlive;
  private final boolean http10;
  private final String range;
  private final String ifRange;
  private final String ifNoneMatch;
  private final String ifModifiedSince;
  private final String accept;

  // A refusal.
  private final byte[] refusal;
  private final int status;
  private final String problem;
  private final boolean wrongToken;

  private HttpCall(HttpRequest request, boolean keepAlive) {
    var h = request.headers();
    this.method = request.method().name();
    this.target = request.uri();
    this.keepAlive = keepAlive;
    this.http10 = request.protocolVersion().minorVersion() == 0;
    this.range = h.get(HttpHeaderNames.RANGE);
    this.ifRange = h.get(HttpHeaderNames.IF_RANGE);
    this.ifNoneMatch = String.join(",", h.getAll(HttpHeaderNames.IF_NONE_MATCH));
    this.ifModifiedSince = h.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    this.accept = String.join(",", h.getAll(HttpHeaderNames.ACCEPT));
    this.refusal = null;
    this.status = 0;
    this.problem = null;
    this.wrongToken = false;
  }

  private HttpCall(
      String method, String target, byte[] refusal, int status, String problem, boolean wrong) {
    this.method = method;
    this.target = target;
    this.keepAlive = false;
    this.http10 = false;
    this.range = null;
    this.ifRange = null;
    this.ifNoneMatch = "";
    this.ifModifiedSince = null;
    this.accept = "";
    this.refusal = refusal;
    this.status = status;
    this.problem = problem;
    this.wrongToken = wrong;
  }

  static HttpCall request(HttpRequest request, boolean keepAlive) {
    return new HttpCall(request, keepAlive);
  }

  static HttpCall refused(
      String method, String target, byte[] response, int status, String problem, boolean wrong) {
    return new HttpCall(method, target, response, status, problem, wrong);
  }

  /** Whether the event loop sends {@link #refusal()} and closes, instead of a worker answering. */
  public boolean refused() {
    return refusal != null;
  }

  /** The complete response of a refusal; the connection closes after it. */
  public byte[] refusal() {
    return refusal;
  }

  /** The status of a refusal. */
  public int status() {
    return status;
  }

  /** What went wrong, for the operator's log; null when nothing worth a warning did. */
  public String problem() {
    return problem;
  }

  /**
   * Whether the refusal is for a wrong token: it is held back longer after every failure from the
   * address, as the lanfetch protocol's is.
   */
  public boolean wrongToken() {
    return wrongToken;
  }

  /** The method, "GET"; "-" when the request line could not be read. */
  public String method() {
    return method;
  }

  /** The request target as sent, "/docs/a%20b.txt?download"; "-" when unreadable. */
  public String target() {
    return target;
  }

  /** Whether the connection stays open after the answer. */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** Whether the request is HTTP/1.0: no chunked answer, a body of unknown length ends at close. */
  boolean http10() {
    return http10;
  }

  String range() {
    return range;
  }

  String ifRange() {
    return ifRange;
  }

  String ifNoneMatch() {
    return ifNoneMatch;
  }

  String ifModifiedSince() {
    return ifModifiedSince;
  }

  String accept() {
    return accept;
  }
}
