package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a browser or a script sees when a request fails. */
class ErrorPageTest {
  static String html(int status, String reason, String detail) {
    return new String(ErrorPage.html(status, reason, detail), StandardCharsets.UTF_8);
  }

  static String json(int status, String reason, String detail) {
    return new String(ErrorPage.json(status, reason, detail), StandardCharsets.UTF_8);
  }

  @Test
  void aSmallPageWithStatusReasonAndDetail() {
    String page = html(404, "Not Found", "no such file \"报告.pdf\"");
    assertTrue(page.startsWith("<!DOCTYPE html>"), page);
    assertTrue(page.contains("<meta charset=\"utf-8\">"), page);
    assertTrue(page.contains("name=\"viewport\""), page);
    assertTrue(page.contains("<title>404 Not Found</title>"), page);
    assertTrue(page.contains("<h1>404 Not Found</h1>"), page);
    assertTrue(page.contains("<p>no such file &quot;报告.pdf&quot;</p>"), page);
    assertFalse(page.toLowerCase().contains("<script"), page);
  }

  @Test
  void theDetailIsEscapedBecauseItMayQuoteWhatTheClientSent() {
    String page = html(400, "Bad Request", "'..' segment in \"<script>alert(1)</script>\u202E\"");
    assertFalse(page.contains("<script>"), page);
    assertTrue(
        page.contains(
            "&#39;..&#39; segment in &quot;&lt;script&gt;alert(1)&lt;/script&gt;"
                + "\\u202E&quot;"),
        page);
  }

  @Test
  void noDetailNoParagraph() {
    assertFalse(html(405, "Method Not Allowed", null).contains("<p>"));
    assertFalse(html(405, "Method Not Allowed", "").contains("<p>"));
  }

  @Test
  void jsonIsOneObjectOnOneLine() {
    assertEquals(
        "{\"status\":416,\"error\":\"Range Not Satisfiable\","
            + "\"message\":\"range 10-20 of a 5-byte file\"}\n",
        json(416, "Range Not Satisfiable", "range 10-20 of a 5-byte file"));
    assertEquals(
        "{\"status\":503,\"error\":\"Service Unavailable\"}\n",
        json(503, "Service Unavailable", null));
  }

  @Test
  void jsonEscapesTheDetail() {
    assertEquals(
        "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"\\\"a\\\\b\\\"\\n\\u202e\"}\n",
        json(400, "Bad Request", "\"a\\b\"\n\u202E"));
  }
}
