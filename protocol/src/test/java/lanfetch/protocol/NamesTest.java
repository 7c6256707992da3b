package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class NamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "a.txt",
        "报告.pdf",
        "logs/2026/app.log.gz",
        ".hidden",
        "a..b",
        "con-notes.txt",
        "COM10",
        "x/LPT0",
        "😀.png",
        "name with spaces.txt",
        "a.b/cons",
        "nuls/..a",
        "x/aux1.txt",
        "lpt/com.txt"
      })
  void acceptsPortableRelativeNames(String name) throws InvalidNameException {
    assertEquals(name, Names.check(name));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                | empty name",
        "/etc/passwd       | absolute path",
        "..                | '..' segment",
        "a/../../etc       | '..' segment",
        "./a               | '.' segment",
        "a//b              | empty segment",
        "a/                | empty segment",
        "C:x               | colon (drive letter or stream name)",
        "C:\\x             | colon (drive letter or stream name)",
        "\\\\server\\share | backslash (use / between segments)",
        "a:stream          | colon (drive letter or stream name)",
        "a.                | segment ends with '.'",
        "'a '              | segment ends with ' '",
        "CON               | Windows device name 'CON'",
        "dir/nul.txt       | Windows device name 'nul'",
        "Com1.tar.gz       | Windows device name 'Com1'",
        "a.b/c/aux         | Windows device name 'aux'",
        "'d/prn .txt'      | Windows device name 'prn'",
        "x.y/b/..          | '..' segment",
        "a/./b             | '.' segment",
      })
  void refusesWithTheRuleBroken(String name, String reason) {
    var e = assertThrows(InvalidNameException.class, () -> Names.check(name));
    assertEquals("invalid name " + PeerText.quote(name) + ": " + reason, e.getMessage());
  }

  @Test
  void refusesControlCharacters() {
    for (String name : List.of("a\u0000b", "a\nb", "a\u007Fb", "\u001B[2J")) {
      assertThrows(InvalidNameException.class, () -> Names.check(name), PeerText.quote(name));
    }
  }

  @Test
  void refusesOverlongNamesAndSegments() throws InvalidNameException {
    String seg255 = "x".repeat(255);
    Names.check(seg255);
    var e = assertThrows(InvalidNameException.class, () -> Names.check(seg255 + "x"));
    assertEquals(
        "segment is 256 bytes, longer than 255",
        e.getMessage().substring(e.getMessage().lastIndexOf(": ") + 2));
    // 85 three-byte characters = 255 bytes; one more breaks the segment limit in bytes.
    Names.check("报".repeat(85));
    assertThrows(InvalidNameException.class, () -> Names.check("报".repeat(86)));
    String long4096 = (seg255.substring(0, 254) + "/").repeat(16) + "x".repeat(16);
    assertEquals(4096, long4096.length());
    Names.check(long4096);
    assertThrows(InvalidNameException.class, () -> Names.check(long4096 + "x"));
    // A character outside the BMP is four bytes: 63 of them fit a segment, 64 do not.
    Names.check("a/" + "😀".repeat(63));
    e = assertThrows(InvalidNameException.class, () -> Names.check("a/" + "😀".repeat(64)));
    assertEquals(
        "segment is 256 bytes, longer than 255",
        e.getMessage().substring(e.getMessage().lastIndexOf(": ") + 2));
  }

  @Test
  void refusesUnpairedSurrogates() {
    assertThrows(InvalidNameException.class, () -> Names.check("a\uD800"));
    assertThrows(InvalidNameException.class, () -> Names.check("\uDC00a"));
  }

  @Test
  void quoteEscapesWhatATerminalWouldInterpret() {
    assertEquals("\"a\\u001B[2Jb\\\"\"", PeerText.quote("a\u001B[2Jb\""));
  }

  @Test
  void quoteEscapesC1SeparatorsAndBidiControls() {
    assertEquals(
        "\"a\\u0085b\\u2028c\\u202Ed\\u2067e\\u009Bf\"",
        PeerText.quote("a\u0085b\u2028c\u202Ed\u2067e\u009Bf"));
    assertEquals("\"报告 é\"", PeerText.quote("报告 é"));
  }

  @Test
  void quoteCutsALongNameAndSaysHowLongItWas() {
    String name = "\u0085".repeat(21_000);
    assertEquals(
        "\"" + "\\u0085".repeat(PeerText.QUOTE_LIMIT) + "\"\u2026 (42000 bytes)",
        PeerText.quote(name));
    String exact = "\uD83D\uDE00".repeat(PeerText.QUOTE_LIMIT);
    assertEquals("\"" + exact + "\"", PeerText.quote(exact));
  }

  @Test
  void segmentsAndJoin() throws InvalidNameException {
    assertEquals(List.of("a", "b", "c.txt"), Names.segments("a/b/c.txt"));
    assertEquals("x", Names.join("", "x"));
    assertEquals("d/x", Names.join("d", "x"));
  }
}
