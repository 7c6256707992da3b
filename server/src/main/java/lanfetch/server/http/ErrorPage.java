package lanfetch.server.http;

import java.nio.charset.StandardCharsets;
import lanfetch.protocol.PeerText;

/**
 * The body of an HTTP error: a small HTML page for browsers, or a JSON object where JSON was asked
 * for. Both carry the status, its reason phrase and a one-line detail saying what was wrong; every
 * text is escaped, as a detail may quote a name or path the client sent.
 */
final class ErrorPage {
  private ErrorPage() {}

  private static final String STYLE =
      """
      :root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--link:#0969da;--bg:#fff}
      @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--link:#4493f8;\
      --bg:#0d1117}}
      body{margin:0 auto;max-width:40rem;padding:1rem;color:var(--fg);background:var(--bg);\
      font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
      h1{font-size:1.25rem;font-weight:600}
      p{overflow-wrap:anywhere}
      a{color:var(--link)}
      footer{font-size:.8125rem;color:var(--muted)}
      """;

  /**
   * A small HTML page.
   *
   * @param detail what was wrong, in one line; {@code null} or empty for none
   */
  static byte[] html(int status, String reason, String detail) {
    String title = status + " " + ListingPage.escape(reason);
    var h = new StringBuilder(1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
        .append("<title>")
        .append(title)
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(title)
        .append("</h1>\n");
    if (detail != null && !detail.isEmpty()) {
      h.append("<p>").append(ListingPage.escape(detail)).append("</p>\n");
    }
    h.append("<footer><a href=\"/\">The served root</a> · lanfetch</footer>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code {"status":404,"error":"Not Found","message":"..."}} on one line, the keys the client's
   * {@code --json} failure events use; {@code message} is left out when there is no detail.
   */
  static byte[] json(int status, String reason, String detail) {
    var j = new StringBuilder(128).append("{\"status\":").append(status).append(",\"error\":");
    PeerText.appendJson(j, reason);
    if (detail != null && !detail.isEmpty()) {
      j.append(",\"message\":");
      PeerText.appendJson(j, detail);
    }
    return j.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }
}
