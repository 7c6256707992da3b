package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import lanfetch.server.AccessRecord;
import lanfetch.server.ServerExtension;
import lanfetch.server.Servers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an HTTP client gets, over real sockets: java.net.http where it can say it, a raw socket
 * where only the bytes on the wire can (HEAD, pipelining, keep-alive).
 */
class HttpConformanceTest {
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";
  private static final Instant MTIME = Instant.parse("2026-03-04T05:06:07Z");

  @RegisterExtension final ServerExtension server = ServerExtension.create();

  private final HttpClient http = HttpClient.newHttpClient();
  private byte[] big;

  @BeforeEach
  void files() throws IOException {
    Path root = server.root();
    big = new byte[3 * 1024 * 1024 + 17];
    new Random(12).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.writeString(root.resolve("a.txt"), "0123456789");
    Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.from(MTIME));
    Files.writeString(root.resolve("data.xyz"), "?");
    Files.createDirectories(root.resolve("docs/报告"));
    Files.writeString(root.resolve("docs/报告/季度 1.pdf"), "pdf");
    Files.writeString(root.resolve(".secret"), "hidden");
    Files.writeString(root.resolve("<img src=x onerror=alert(1)>.txt"), "x");
  }

  private URI uri(String target) {
    return URI.create("http://" + server.hostPort() + target);
  }

  private HttpResponse<byte[]> get(String target, String... headers) throws Exception {
    var b = HttpRequest.newBuilder(uri(target));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private RawHttp raw() throws IOException {
    return new RawHttp(server.address());
  }

  // ---- files ----

  @Test
  void aFileComesWithEveryHeaderAndItsExactBytes() throws Exception {
    var r = get("/big.bin");
    assertEquals(200, r.statusCode());
    assertArrayEquals(big, r.body());
    assertEquals(Long.toString(big.length), header(r, "Content-Length"));
    assertEquals("application/octet-stream", header(r, "Content-Type"));
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    assertEquals(CSP, header(r, "Content-Security-Policy"));
    assertEquals("bytes", header(r, "Accept-Ranges"));
    assertTrue(header(r, "ETag").matches("\"[0-9a-f-]+\""), header(r, "ETag"));
    assertTrue(header(r, "Date").endsWith(" GMT"), header(r, "Date"));

    var t = get("/a.txt");
    assertEquals("0123456789", text(t));
    assertEquals("text/plain; charset=utf-8", header(t, "Content-Type"));
    assertEquals("Wed, 04 Mar 2026 05:06:07 GMT", header(t, "Last-Modified"));
    assertEquals("application/octet-stream", header(get("/data.xyz"), "Content-Type"));
  }

  @Test
  void aChineseNameWorksPercentEncodedFromUtf8() throws Exception {
    var r = get("/docs/%E6%8A%A5%E5%91%8A/%E5%AD%A3%E5%BA%A6%201.pdf");
    assertEquals(200, r.statusCode());
    assertEquals("pdf", text(r));
    assertEquals("application/pdf", header(r, "Content-Type"));
  }

  @Test
  void downloadAsksForAnAttachmentNamedInUtf8() throws Exception {
    var r = get("/docs/%E6%8A%A5%E5%91%8A/%E5%AD%A3%E5%BA%A6%201.pdf?download");
    assertEquals(
        "attachment; filename=\"__ 1.pdf\"; filename*=UTF-8''%E5%AD%A3%E5%BA%A6%201.pdf",
        header(r, "Content-Disposition"));
    assertNull(header(get("/a.txt"), "Content-Disposition"));
  }

  @Test
  void headSendsTheHeadersOfGetAndNoBody() throws Exception {
    try (var c = raw()) {
      var head = c.exchange(RawHttp.get("HEAD", "/big.bin"));
      assertEquals(200, head.status());
      assertEquals(Long.toString(big.length), head.header("Content-Length"));
      assertEquals("bytes", head.header("Accept-Ranges"));
      // Had a body followed, this would read its bytes as a status line.
      var next = c.exchange(RawHttp.get("HEAD", "/docs/"));
      assertEquals(200, next.status());
      assertEquals("text/html; charset=utf-8", next.header("Content-Type"));
      var missing = c.exchange(RawHttp.get("HEAD", "/nope"));
      assertEquals(404, missing.status());
      assertEquals(200, c.exchange(RawHttp.get("GET", "/a.txt")).status());
    }
  }

  // ---- connections ----

  @Test
  void keepAliveAnswersManyRequestsOnOneConnection() throws Exception {
    try (var c = raw()) {
      // More than a worker answers in one go before it hands the connection back (64).
      for (int i = 0; i < 150; i++) {
        boolean small = i % 25 != 1;
        var r = c.exchange(RawHttp.get("GET", small ? "/a.txt" : "/big.bin"));
        assertEquals(200, r.status());
        assertEquals(small ? 10 : big.length, r.body().length);
        assertNull(r.header("Connection"));
      }
      var last = c.exchange(RawHttp.get("GET", "/a.txt", "Connection: close"));
      assertEquals("close", last.header("Connection"));
      assertEquals("0123456789", last.text());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    String[] targets = {"/a.txt", "/big.bin", "/nope", "/docs", "/a.txt", "/docs/"};
    var all = new StringBuilder();
    for (String t : targets) {
      all.append(RawHttp.get("GET", t));
    }
    try (var c = raw()) {
      c.send(all.toString());
      int[] expected = {200, 200, 404, 301, 200, 200};
      for (int i = 0; i < targets.length; i++) {
        var r = c.read(false);
        assertEquals(expected[i], r.status(), targets[i]);
        if (i == 1) {
          assertArrayEquals(big, r.body());
        }
      }
      assertTrue(c.silentFor(200), "more answers than requests");
    }
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() throws Exception {
    try (var c = raw()) {
      var r = c.exchange("GET /a.txt HTTP/1.0\r\n\r\n");
      assertEquals("0123456789", r.text());
      assertTrue(c.closedByServer());
    }
    try (var c = raw()) {
      assertEquals(
          200, c.exchange("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status());
      assertEquals(
          200, c.exchange("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status());
    }
  }

  // ---- ranges ----

  @Test
  void singleRanges() throws Exception {
    assertRange("bytes=0-0", "0", "bytes 0-0/10");
    assertRange("bytes=9-9", "9", "bytes 9-9/10");
    assertRange("bytes=-1", "9", "bytes 9-9/10");
    assertRange("bytes=-3", "789", "bytes 7-9/10");
    assertRange("bytes=-500", "0123456789", "bytes 0-9/10");
    assertRange("bytes=4-", "456789", "bytes 4-9/10");
    assertRange("bytes=8-500", "89", "bytes 8-9/10");

    var r = get("/big.bin", "Range", "bytes=-500");
    assertEquals(206, r.statusCode());
    assertArrayEquals(Arrays.copyOfRange(big, big.length - 500, big.length), r.body());
    var mid = get("/big.bin", "Range", "bytes=1000000-2999999");
    assertArrayEquals(Arrays.copyOfRange(big, 1_000_000, 3_000_000), mid.body());
  }

  private void assertRange(String range, String body, String contentRange) throws Exception {
    var r = get("/a.txt", "Range", range);
    assertEquals(206, r.statusCode(), range);
    assertEquals(body, text(r), range);
    assertEquals(contentRange, header(r, "Content-Range"), range);
    assertEquals(Integer.toString(body.length()), header(r, "Content-Length"), range);
  }

  @Test
  void aRangeBeyondTheEndIs416WithTheSize() throws Exception {
    for (String range : new String[] {"bytes=10-", "bytes=10-20", "bytes=-0", "bytes=99-,100-"}) {
      var r = get("/a.txt", "Range", range);
      assertEquals(416, r.statusCode(), range);
      assertEquals("bytes */10", header(r, "Content-Range"), range);
    }
  }

  @Test
  void aMalformedRangeIsIgnored() throws Exception {
    for (String range : new String[] {"bytes=5-2", "bytes=a-b", "lines=1-2", "bytes=1", ""}) {
      var r = get("/a.txt", "Range", range.isEmpty() ? "bytes=" : range);
      assertEquals(200, r.statusCode(), range);
      assertEquals("0123456789", text(r), range);
    }
  }

  @Test
  void severalRangesComeAsMultipartByteranges() throws Exception {
    var r = get("/a.txt", "Range", "bytes=0-1,-2");
    assertEquals(206, r.statusCode());
    var type =
        Pattern.compile("multipart/byteranges; boundary=(\\S+)").matcher(header(r, "Content-Type"));
    assertTrue(type.matches(), header(r, "Content-Type"));
    String b = type.group(1);
    String expected =
        "\r\n--"
            + b
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
            + "\r\n--"
            + b
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 8-9/10\r\n\r\n89"
            + "\r\n--"
            + b
            + "--\r\n";
    assertEquals(expected, text(r));
    assertEquals(Integer.toString(r.body().length), header(r, "Content-Length"));
  }

  @Test
  void overlappingOrTooManyRangesGetTheWholeFile() throws Exception {
    var overlap = get("/a.txt", "Range", "bytes=0-5,3-8");
    assertEquals(200, overlap.statusCode());
    assertEquals("0123456789", text(overlap));
    var many = new StringBuilder("bytes=0-0");
    for (int i = 1; i < 40; i++) {
      many.append(',').append(i * 1000).append('-').append(i * 1000);
    }
    var r = get("/big.bin", "Range", many.toString());
    assertEquals(200, r.statusCode());
    assertEquals(big.length, r.body().length);
  }

  @Test
  void ifRangeAppliesTheRangeOnlyToTheSameFile() throws Exception {
    String etag = header(get("/a.txt"), "ETag");
    var same = get("/a.txt", "Range", "bytes=0-1", "If-Range", etag);
    assertEquals(206, same.statusCode());
    var date = get("/a.txt", "Range", "bytes=0-1", "If-Range", "Wed, 04 Mar 2026 05:06:07 GMT");
    assertEquals(206, date.statusCode());
    var other = get("/a.txt", "Range", "bytes=0-1", "If-Range", "\"something-else\"");
    assertEquals(200, other.statusCode());
    assertEquals("0123456789", text(other));
    var weak = get("/a.txt", "Range", "bytes=0-1", "If-Range", "W/" + etag);
    assertEquals(200, weak.statusCode());
  }

  // ---- conditional requests ----

  @Test
  void aCacheThatHasTheFileGets304() throws Exception {
    String etag = header(get("/a.txt"), "ETag");
    var r = get("/a.txt", "If-None-Match", etag);
    assertEquals(304, r.statusCode());
    assertEquals(0, r.body().length);
    assertEquals(etag, header(r, "ETag"));
    assertEquals(304, get("/a.txt", "If-None-Match", "\"x\", W/" + etag).statusCode());
    assertEquals(304, get("/a.txt", "If-None-Match", "*").statusCode());
    assertEquals(200, get("/a.txt", "If-None-Match", "\"x\"").statusCode());

    assertEquals(
        304, get("/a.txt", "If-Modified-Since", "Wed, 04 Mar 2026 05:06:07 GMT").statusCode());
    assertEquals(
        200, get("/a.txt", "If-Modified-Since", "Wed, 04 Mar 2026 05:06:06 GMT").statusCode());
    // If-None-Match wins over If-Modified-Since.
    assertEquals(
        200,
        get(
                "/a.txt",
                "If-None-Match",
                "\"x\"",
                "If-Modified-Since",
                "Wed, 04 Mar 2030 05:06:07 GMT")
            .statusCode());
    assertEquals(200, get("/a.txt", "If-Modified-Since", "yesterday").statusCode());
  }

  @Test
  void aReplacedFileGetsANewEtagEvenWithTheSameSizeAndTime() throws Exception {
    Path a = server.root().resolve("a.txt");
    String before = header(get("/a.txt"), "ETag");
    Path other = server.root().resolve("other.txt");
    Files.writeString(other, "9876543210");
    Files.setLastModifiedTime(other, FileTime.from(MTIME));
    Files.move(other, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    var r = get("/a.txt", "If-None-Match", before);
    assertEquals(200, r.statusCode());
    assertEquals("9876543210", text(r));
    assertNotEquals(before, header(r, "ETag"));
  }

  // ---- listings ----

  @Test
  void aDirectoryListsAsHtmlWithEveryNameEscaped() throws Exception {
    var r = get("/");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
    assertEquals(CSP, header(r, "Content-Security-Policy"));
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    String page = text(r);
    assertFalse(page.contains("<img"), "a name was not escaped");
    assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), page);
    assertTrue(page.contains("href=\"docs/\""), page);
    assertFalse(page.contains(".secret"), "a hidden file was listed");
    assertFalse(page.contains("<script"), "the page has script");
  }

  @Test
  void jsonListingsOnAskOrAccept() throws Exception {
    for (var r :
        new HttpResponse[] {get("/docs/?json"), get("/docs/", "Accept", "application/json")}) {
      assertEquals(200, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
      String json = new String((byte[]) r.body(), StandardCharsets.UTF_8);
      assertTrue(json.contains("报告"), json);
      assertTrue(json.contains("\"directory\""), json);
    }
  }

  @Test
  void aDirectoryWithoutItsSlashRedirectsAndNothingElseDoes() throws Exception {
    var r = get("/docs/%E6%8A%A5%E5%91%8A");
    assertEquals(301, r.statusCode());
    assertEquals("/docs/%E6%8A%A5%E5%91%8A/", header(r, "Location"));
    var q = get("/docs?json");
    assertEquals("/docs/?json", header(q, "Location"));
    assertEquals(200, get("/").statusCode());
    assertEquals(404, get("/a.txt/").statusCode());
    assertEquals(404, get("/nope/").statusCode());
  }

  // ---- errors ----

  @Test
  void errorsMapFromTheProtocolsAnswers() throws Exception {
    var missing = get("/nope.txt");
    assertEquals(404, missing.statusCode());
    assertEquals("text/html; charset=utf-8", header(missing, "Content-Type"));
    assertTrue(text(missing).contains("404"), text(missing));
    assertEquals(403, get("/.secret").statusCode());
    var json = get("/nope.txt?json");
    assertEquals(404, json.statusCode());
    assertEquals("application/json", header(json, "Content-Type"));
    assertTrue(text(json).contains("404"), text(json));
  }

  @Test
  void otherMethodsGet405WithAllow() throws Exception {
    for (String method : new String[] {"OPTIONS", "DELETE", "PUT", "TRACE"}) {
      var r =
          http.send(
              HttpRequest.newBuilder(uri("/a.txt"))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET, HEAD", header(r, "Allow"), method);
    }
    try (var c = raw()) {
      var post = c.exchange("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      assertEquals(405, post.status());
      assertEquals("GET, HEAD", post.header("Allow"));
      assertTrue(c.closedByServer(), "a request with a body must close the connection");
    }
  }

  @Test
  void malformedAndOversizedRequests() throws Exception {
    try (var c = raw()) {
      assertEquals(400, c.exchange("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }
    try (var c = raw()) {
      assertEquals(400, c.exchange("GET /a.txt HTTP/1.1\r\n\r\n").status()); // no Host
      assertTrue(c.closedByServer());
    }
    try (var c = raw()) {
      assertEquals(
          400, c.exchange("GET /a.txt HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n").status());
    }
    try (var c = raw()) {
      var r = c.exchange("GET /" + "a".repeat(HttpSession.MAX_REQUEST_LINE) + " HTTP/1.1\r\n\r\n");
      assertEquals(414, r.status());
      assertTrue(c.closedByServer());
    }
    try (var c = raw()) {
      String big = "X-Big: " + "b".repeat(100 * 1024) + "\r\n";
      var r = c.exchange("GET /a.txt HTTP/1.1\r\nHost: x\r\n" + big + "\r\n");
      assertEquals(431, r.status());
      assertTrue(c.closedByServer());
    }
    try (var c = raw()) {
      assertEquals(505, c.exchange("GET /a.txt HTTP/2.0\r\nHost: x\r\n\r\n").status());
    }
  }

  // ---- the access log ----

  @Test
  void theAccessLogShowsTheProtocolMethodTargetAndStatus() throws Exception {
    get("/a.txt?download");
    get("/nope");
    var records = server.log().access;
    Servers.await(Duration.ofSeconds(10), "two access lines", () -> records.size() >= 2);
    var ok = records.stream().filter(r -> r.name().equals("/a.txt?download")).findFirst();
    assertTrue(ok.isPresent(), records.toString());
    assertEquals(AccessRecord.HTTP, ok.get().protocol());
    assertEquals("GET", ok.get().request());
    assertEquals("200", ok.get().status());
    assertTrue(
        records.stream().anyMatch(r -> r.name().equals("/nope") && r.status().equals("404")));
  }

  @Test
  void waitsForTheClientWhileIdleAndClosesQuietly() throws Exception {
    server.start(b -> b.idleTimeout(Duration.ofMillis(500)));
    try (var c = raw()) {
      assertEquals(200, c.exchange(RawHttp.get("GET", "/a.txt")).status());
      assertTrue(c.closedByServer(), "an idle keep-alive connection must close without a word");
    }
  }
}
