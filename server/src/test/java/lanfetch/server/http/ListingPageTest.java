package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import org.junit.jupiter.api.Test;

/** The listing a browser, a phone or {@code wget -r} gets, and the JSON a script gets. */
class ListingPageTest {
  /** 2026-11-28 20:17:05.123 UTC. */
  static final long T = 1_795_897_025_123L;

  static Entry file(String name, long size) {
    return new Entry(EntryKind.FILE, size, T, name);
  }

  static Entry dir(String name) {
    return new Entry(EntryKind.DIRECTORY, 0, T, name);
  }

  static String html(List<String> dir, Entry... entries) {
    return new String(ListingPage.html(dir, List.of(entries)), StandardCharsets.UTF_8);
  }

  static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

  static List<String> hrefs(String page) {
    var out = new ArrayList<String>();
    var m = HREF.matcher(page);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void hostileNamesShowAsTextAndNeverAsMarkup() {
    String page =
        html(
            List.of(),
            file("<img src=x onerror=alert(1)>.txt", 1),
            file("\"><script>alert(2)</script>", 2),
            file("a' onmouseover='alert(3)", 3),
            file("&amp;lt;", 4),
            dir("</table><h1>owned"));
    assertFalse(page.contains("<img"), page);
    assertFalse(page.contains("<script"), page);
    assertFalse(page.contains("' onmouseover"), page);
    assertFalse(page.contains("</table><h1>"), page);
    assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), page);
    assertTrue(page.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"), page);
    assertTrue(page.contains("a&#39; onmouseover=&#39;alert(3)"), page);
    assertTrue(page.contains("&amp;amp;lt;"), page);
    assertTrue(hrefs(page).contains("%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt"), page);
  }

  @Test
  void bidiOverridesAndControlsAreShownEscaped() {
    String page = html(List.of(), file("evil\u202Etxt.exe", 1), file("bell\u0007", 1));
    assertTrue(page.contains("evil\\u202Etxt.exe"), page);
    assertTrue(page.contains("bell\\u0007"), page);
    assertFalse(page.contains("\u202E"), page);
    assertTrue(hrefs(page).contains("evil%E2%80%AEtxt.exe"), page);
  }

  @Test
  void noScriptAndEverythingInlineSoTheContentSecurityPolicyHolds() {
    String page = html(List.of("a"), file("x", 1), dir("d"));
    assertFalse(page.toLowerCase().contains("<script"), page);
    assertFalse(page.toLowerCase().contains(" on"), "no event handler attributes");
    assertFalse(page.contains("<img"), page);
    assertFalse(page.contains("<link"), page);
    assertFalse(page.contains("url("), page);
    assertFalse(page.contains("http:"), page);
    assertTrue(page.contains("<style>"), page);
    assertTrue(page.startsWith("<!DOCTYPE html>"), page);
    assertTrue(page.contains("<meta charset=\"utf-8\">"), page);
    assertTrue(
        page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  }

  @Test
  void directoriesComeFirstThenTheServersOrder() {
    String page = html(List.of(), file("b", 1), dir("z"), file("a", 1), dir("c"));
    assertEquals(List.of("z/", "c/", "b", "b", "a", "a"), hrefs(page));
  }

  @Test
  void linksArePercentEncodedFromUtf8AndResolveBackToTheNames() throws Exception {
    List<String> directory = List.of("docs", "报告 2026");
    List<Entry> entries =
        List.of(
            file("报告.pdf", 10),
            file("a b#c%d?e.txt", 1),
            dir("子目录"),
            file("\uD83D\uDE00.png", 1),
            file("100%", 1));
    String page = new String(ListingPage.html(directory, entries), StandardCharsets.UTF_8);
    URI base = URI.create("http://127.0.0.1:7890/docs/%E6%8A%A5%E5%91%8A%202026/");
    var names = new ArrayList<List<String>>();
    for (String href : hrefs(page)) {
      names.add(PercentEncoding.decodePath(base.resolve(href).getRawPath()));
    }
    assertEquals(
        List.of(
            List.of(""),
            List.of("docs", ""),
            List.of("docs", ""),
            List.of("docs", "报告 2026", "子目录", ""),
            List.of("docs", "报告 2026", "报告.pdf"),
            List.of("docs", "报告 2026", "报告.pdf"),
            List.of("docs", "报告 2026", "a b#c%d?e.txt"),
            List.of("docs", "报告 2026", "a b#c%d?e.txt"),
            List.of("docs", "报告 2026", "\uD83D\uDE00.png"),
            List.of("docs", "报告 2026", "\uD83D\uDE00.png"),
            List.of("docs", "报告 2026", "100%"),
            List.of("docs", "报告 2026", "100%")),
        names);
  }

  @Test
  void linksToNothingButTheTreeSoThatWgetMirrorsOnlyTheServedFiles() {
    String page = html(List.of("a"), file("x", 1), dir("d"));
    for (String href : hrefs(page)) {
      assertFalse(href.contains("?"), href);
    }
    assertTrue(page.contains("<a href=\"x\" download aria-label=\"Download x\">"), page);
  }

  @Test
  void longNamesPastEveryEstimateComeOutWhole() throws Exception {
    var entries = new ArrayList<Entry>();
    for (int i = 0; i < 50; i++) {
      entries.add(file(i + "报".repeat(80) + "\uD83D\uDE00", i)); // 80 x 9 bytes in each link
    }
    String page = new String(ListingPage.html(List.of(), entries), StandardCharsets.UTF_8);
    var names = new ArrayList<String>();
    for (String href : hrefs(page)) {
      names.add(PercentEncoding.decodePath("/" + href).get(0));
    }
    var expected = new ArrayList<String>();
    entries.forEach(e -> expected.addAll(List.of(e.name(), e.name())));
    assertEquals(expected, names);
    assertTrue(page.endsWith("</html>\n"), page);
  }

  @Test
  void breadcrumbsLinkEveryLevelAboveAndNameTheCurrentOne() {
    String page = html(List.of("a", "b c", "报告"));
    assertTrue(page.contains("<title>Index of /a/b c/报告/</title>"), page);
    assertTrue(
        page.contains(
            "<a href=\"../../../\">/</a><a href=\"../../\">a/</a><a href=\"../\">b c/</a>"
                + "<span aria-current=\"page\">报告/</span>"),
        page);
    assertTrue(page.contains("<a href=\"../\" rel=\"up\">../</a>"), page);
  }

  @Test
  void theRootHasNoParentLink() {
    String page = html(List.of(), file("x", 1));
    assertFalse(page.contains("rel=\"up\""), page);
    assertTrue(page.contains("<span aria-current=\"page\">/</span>"), page);
    assertTrue(page.contains("<title>Index of /</title>"), page);
  }

  @Test
  void aTrailingEmptySegmentIsTheSameDirectory() {
    assertEquals(html(List.of("a", "b"), file("x", 1)), html(List.of("a", "b", ""), file("x", 1)));
    assertEquals(html(List.of(), file("x", 1)), html(List.of(""), file("x", 1)));
  }

  @Test
  void showsSizesInHumanUnitsWithTheExactCountOnHoverAndTimesInUtc() {
    String page = html(List.of(), file("a", 1536), file("b", 1), dir("d"));
    assertTrue(page.contains("<td class=\"size\" title=\"1536 bytes\">1.5 KiB</td>"), page);
    assertTrue(page.contains("<td class=\"size\" title=\"1 byte\">1 B</td>"), page);
    assertTrue(
        page.contains("<time datetime=\"2026-11-28T20:17:05Z\">2026-11-28 20:17</time>"), page);
    assertTrue(page.contains("Modified (UTC)"), page);
    assertTrue(page.contains("1 directory, 2 files, 1.5 KiB"), page);
  }

  @Test
  void humanSizes() {
    assertEquals("0 B", ListingPage.humanSize(0));
    assertEquals("1023 B", ListingPage.humanSize(1023));
    assertEquals("1.0 KiB", ListingPage.humanSize(1024));
    assertEquals("1.0 MiB", ListingPage.humanSize(1024 * 1024 - 1));
    assertEquals("1.0 GiB", ListingPage.humanSize(1L << 30));
    assertEquals("4.2 GiB", ListingPage.humanSize(4_500_000_000L));
    assertEquals("8.0 EiB", ListingPage.humanSize(Long.MAX_VALUE));
  }

  @Test
  void anEmptyDirectorySaysSo() {
    String page = html(List.of("empty"));
    assertTrue(page.contains("This directory is empty."), page);
    assertTrue(page.contains("0 directories, 0 files"), page);
  }

  @Test
  void timesFarFromNowStillFormat() {
    String page =
        html(
            List.of(),
            new Entry(EntryKind.FILE, 1, 0, "epoch"),
            new Entry(EntryKind.FILE, 1, -1, "before"),
            new Entry(EntryKind.FILE, 1, Long.MAX_VALUE, "far"));
    assertTrue(page.contains(">1970-01-01 00:00<"), page);
    assertTrue(page.contains(">1969-12-31 23:59<"), page);
    assertTrue(page.contains(">+292278994-08-17 07:12<"), page);
  }

  @Test
  void jsonHoldsTheObjectsLanfetchListJsonPrintsOnePerLine() {
    String json =
        new String(
            ListingPage.json(List.of("docs", "报告"), List.of(file("a \"q\".pdf", 1536), dir("sub"))),
            StandardCharsets.UTF_8);
    assertEquals(
        "[\n"
            + "{\"name\":\"docs/报告/a \\\"q\\\".pdf\",\"type\":\"file\",\"size\":1536,"
            + "\"mtime_ms\":1795897025123,\"mtime\":\"2026-11-28T20:17:05.123Z\"},\n"
            + "{\"name\":\"docs/报告/sub\",\"type\":\"directory\",\"size\":0,"
            + "\"mtime_ms\":1795897025123,\"mtime\":\"2026-11-28T20:17:05.123Z\"}\n"
            + "]\n",
        json);
  }

  @Test
  void jsonAtTheRootAndEmpty() {
    assertEquals(
        "[]\n", new String(ListingPage.json(List.of(), List.of()), StandardCharsets.UTF_8));
    assertEquals(
        "[\n{\"name\":\"x\",\"type\":\"file\",\"size\":0,\"mtime_ms\":0,"
            + "\"mtime\":\"1970-01-01T00:00:00Z\"}\n]\n",
        new String(
            ListingPage.json(List.of(""), List.of(new Entry(EntryKind.FILE, 0, 0, "x"))),
            StandardCharsets.UTF_8));
  }

  @Test
  void jsonEscapesControlsAndBidiAsTheClientDoes() {
    String json =
        new String(
            ListingPage.json(List.of(), List.of(file("evil\u202Etxt\u0007", 1))),
            StandardCharsets.UTF_8);
    assertTrue(json.contains("\"name\":\"evil\\u202etxt\\u0007\""), json);
  }
}
