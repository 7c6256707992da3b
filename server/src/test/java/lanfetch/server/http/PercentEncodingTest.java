package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names into links and request paths back into names: decoded exactly once, and every spelling of a
 * traversal or of a byte no name may hold refused with a message that says which.
 */
class PercentEncodingTest {
  @Test
  void keepsUnreservedCharactersAndEncodesEveryOtherUtf8ByteInUpperCase() {
    assertEquals("abc-XYZ_019.~", PercentEncoding.encodeSegment("abc-XYZ_019.~"));
    assertEquals("%E6%8A%A5%E5%91%8A.pdf", PercentEncoding.encodeSegment("报告.pdf"));
    assertEquals(
        "a%20b%23c%25d%3Fe%2Bf%26g%3Dh%3Bi%27j%22k%3Cl%3Em",
        PercentEncoding.encodeSegment("a b#c%d?e+f&g=h;i'j\"k<l>m"));
    assertEquals("%F0%9F%98%80", PercentEncoding.encodeSegment("\uD83D\uDE00"));
    assertEquals("%3A%2F%5C%40%21%24%28%29%2A%2C", PercentEncoding.encodeSegment(":/\\@!$()*,"));
  }

  @Test
  void refusesToEncodeANameWithoutAUtf8Form() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> PercentEncoding.encodeSegment("a\uD800"));
    assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "report.pdf",
        "报告.pdf",
        "a b # c % d ? e",
        "100% #1?.txt",
        "\uD83D\uDE00 smile",
        "<img src=x onerror=alert(1)>.txt",
        "quote\"and'apostrophe",
        "~tilde-._",
        "é composed and e\u0301 decomposed",
        "+plus&amp;=",
        "...hidden-ish"
      })
  void whatIsEncodedDecodesToTheSameName(String name) throws Exception {
    String raw = "/dir/" + PercentEncoding.encodeSegment(name);
    assertEquals(List.of("dir", name), PercentEncoding.decodePath(raw));
  }

  @Test
  void splitsIntoSegmentsWithTheTrailingSlashAsAFinalEmptySegment() throws Exception {
    assertEquals(List.of(""), PercentEncoding.decodePath("/"));
    assertEquals(List.of("a"), PercentEncoding.decodePath("/a"));
    assertEquals(List.of("a", ""), PercentEncoding.decodePath("/a/"));
    assertEquals(List.of("a", "b c", "d"), PercentEncoding.decodePath("/a/b%20c/d"));
    assertEquals(List.of("报告", ""), PercentEncoding.decodePath("/%e6%8a%a5%E5%91%8A/"));
  }

  @Test
  void decodesExactlyOnce() throws Exception {
    assertEquals(List.of("%2e%2e"), PercentEncoding.decodePath("/%252e%252e"));
    assertEquals(List.of("a%2Fb"), PercentEncoding.decodePath("/a%252Fb"));
    assertEquals(List.of("%00"), PercentEncoding.decodePath("/%2500"));
  }

  @Test
  void takesUnencodedBytesOfTheRequestLineAsTheBytesTheyAre() throws Exception {
    // Netty hands the request line over one character per byte; curl sends UTF-8 unencoded.
    String latin1OfUtf8 =
        new String(
            "报告.pdf".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(List.of("报告.pdf"), PercentEncoding.decodePath("/" + latin1OfUtf8));
  }

  @Test
  void keepsDotsThatAreNotWholeSegments() throws Exception {
    assertEquals(List.of("...", ".a", "a..b"), PercentEncoding.decodePath("/.../.a/a..b"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // dot segments, literal and encoded in every case mix
        "/..                | '..' segment",
        "/.                 | '.' segment",
        "/a/../b            | '..' segment",
        "/a/./b             | '.' segment",
        "/a/..              | '..' segment",
        "/%2e%2e            | '..' segment",
        "/%2E%2E/etc/passwd | '..' segment",
        "/%2E.              | '..' segment",
        "/.%2e              | '..' segment",
        "/%2e               | '.' segment",
        "/a/%2e%2e/         | '..' segment",
        // separators hidden inside a segment
        "/a%2fb             | encoded '/' (%2F) inside a segment",
        "/a%2Fb             | encoded '/' (%2F) inside a segment",
        "/..%2f..%2fetc     | encoded '/' (%2F) inside a segment",
        "/a%5cb             | backslash (%5C)",
        "/..%5C..           | backslash (%5C)",
        "/a\\b              | backslash (%5C)",
        // control characters
        "/a%00b             | control character U+0000",
        "/a%00              | control character U+0000",
        "/a%0a              | control character U+000A",
        "/a%0D%0AX: y       | control character U+000D",
        "/a%1f              | control character U+001F",
        "/a%7f              | control character U+007F",
        // empty segments
        "//                 | empty segment ('//')",
        "//etc/passwd       | empty segment ('//')",
        "/a//b              | empty segment ('//')",
        // invalid escapes
        "/a%zz              | invalid percent escape \"%zz\"",
        "/a%4               | invalid percent escape \"%4\"",
        "/a%                | invalid percent escape \"%\"",
        "/%%41              | invalid percent escape \"%%4\"",
        "/a%g0              | invalid percent escape \"%g0\"",
        "/a%-1              | invalid percent escape \"%-1\"",
        "/a%+1              | invalid percent escape \"%+1\"",
        // overlong and otherwise invalid UTF-8
        "/%c0%ae            | overlong encoding of U+002E",
        "/%c0%ae%c0%ae      | overlong encoding of U+002E",
        "/%C0%AF            | overlong encoding of U+002F",
        "/%c1%9c            | overlong encoding of U+005C",
        "/%e0%80%ae         | overlong encoding of U+002E",
        "/%f0%80%80%ae      | overlong encoding of U+002E",
        "/%c0%80            | overlong encoding of U+0000",
        "/a%80              | continuation byte %80 without a lead byte",
        "/%bf               | continuation byte %BF without a lead byte",
        "/%e6%8a            | sequence starting %E6 is cut short",
        "/%e6%8aX           | sequence starting %E6 is cut short by %58",
        "/%ed%a0%80         | encoded surrogate U+D800",
        "/%ed%bf%bf         | encoded surrogate U+DFFF",
        "/%ed%a0%bd%ed%b8%80 | encoded surrogate U+D83D",
        "/%f4%90%80%80      | code point beyond U+10FFFF",
        "/%f8%88%80%80%80   | byte %F8 never appears in UTF-8",
        "/%ff               | byte %FF never appears in UTF-8",
        "/%fe%ff            | byte %FE never appears in UTF-8",
        // not a path at all
        "a/b                | does not start with '/'",
        "*                  | does not start with '/'",
        "http://x/a         | does not start with '/'",
      })
  void refusesWithAMessageSayingWhatWasWrong(String raw, String expected) {
    var e = assertThrows(MalformedPathException.class, () -> PercentEncoding.decodePath(raw));
    assertTrue(e.getMessage().contains(expected), () -> raw + " gave \"" + e.getMessage() + "\"");
  }

  @Test
  void namesTheSegmentAsSent() {
    var e =
        assertThrows(
            MalformedPathException.class, () -> PercentEncoding.decodePath("/ok/%2E%2e/x"));
    assertEquals("'..' segment: \"%2E%2e\"", e.getMessage());
  }

  @Test
  void refusesAnEmptyOrMissingPath() {
    assertThrows(MalformedPathException.class, () -> PercentEncoding.decodePath(""));
    assertThrows(MalformedPathException.class, () -> PercentEncoding.decodePath(null));
  }

  @Test
  void refusesCharactersThatAreNotBytesOfARequestLine() {
    var e = assertThrows(MalformedPathException.class, () -> PercentEncoding.decodePath("/报告"));
    assertTrue(e.getMessage().contains("character U+62A5 is not a byte"), e.getMessage());
  }

  @Test
  void quotesAHostileSegmentSafelyInTheMessage() {
    var e =
        assertThrows(
            MalformedPathException.class,
            () -> PercentEncoding.decodePath("/\u001b[31m%2e%2e" + "x".repeat(1000) + "%00"));
    assertTrue(e.getMessage().contains("\\u001B[31m"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }

  @Test
  void everyByteRoundTripsWhenItIsAllowed() throws Exception {
    for (int b = 0x20; b < 0x7F; b++) {
      String name = "x" + (char) b + "x";
      if (b == '/' || b == '\\') {
        continue;
      }
      assertEquals(
          List.of(name), PercentEncoding.decodePath("/" + PercentEncoding.encodeSegment(name)));
    }
  }

  /** Pieces a hostile path is made of: separators, dots, escapes of them, broken UTF-8. */
  private static final String[] PIECES = {
    "/",
    "/",
    ".",
    "..",
    "%2e",
    "%2E",
    "%2f",
    "%2F",
    "%5c",
    "\\",
    "%00",
    "%0a",
    "%7f",
    "%",
    "%4",
    "%zz",
    "%c0",
    "%ae",
    "%af",
    "%80",
    "%e6",
    "%8a",
    "%a5",
    "%ed%a0%80",
    "%f0%9f%98%80",
    "%f4%90",
    "\u00e6\u008a\u00a5",
    "a",
    "b",
    " ",
    "%20",
    "#",
    "?",
    "~",
    "%25",
    "%252e",
    "+"
  };

  @Test
  void whateverPassesIsSafeAndEncodesBackToItself() throws Exception {
    var random = new java.util.Random(12);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      var raw = new StringBuilder("/");
      for (int n = random.nextInt(8); n >= 0; n--) {
        raw.append(PIECES[random.nextInt(PIECES.length)]);
      }
      List<String> segments;
      try {
        segments = PercentEncoding.decodePath(raw.toString());
      } catch (MalformedPathException refused) {
        continue;
      }
      accepted++;
      for (int k = 0; k < segments.size(); k++) {
        String s = segments.get(k);
        String where = raw + " gave " + segments;
        assertTrue(!s.isEmpty() || k == segments.size() - 1, where);
        assertTrue(!s.equals(".") && !s.equals(".."), where);
        assertTrue(s.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f), where);
      }
      var again = new StringBuilder();
      for (String s : segments) {
        again.append('/').append(PercentEncoding.encodeSegment(s));
      }
      assertEquals(segments, PercentEncoding.decodePath(again.toString()), raw.toString());
    }
    assertTrue(accepted > 1_000, "the pieces also make valid paths: " + accepted);
  }
}
