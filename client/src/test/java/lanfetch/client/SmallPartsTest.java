package lanfetch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Addresses, globs and the JSON escaper: small pieces every command relies on. */
class SmallPartsTest {
  @Test
  void serverAddresses() {
    assertEquals(new ServerAddress("host", 7890), ServerAddress.parse("host"));
    assertEquals(new ServerAddress("host", 99), ServerAddress.parse("host:99"));
    assertEquals(new ServerAddress("::1", 7890), ServerAddress.parse("[::1]"));
    assertEquals(new ServerAddress("::1", 8000), ServerAddress.parse("[::1]:8000"));
    assertEquals(new ServerAddress("fe80::1", 7890), ServerAddress.parse("fe80::1"));
    assertEquals("[::1]:8000", ServerAddress.parse("[::1]:8000").toString());
    for (String bad : List.of("host:0", "host:70000", "host:x", "[::1", "[::1]x", ":80", "")) {
      assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(bad), bad);
    }
  }

  @Test
  void globs() {
    assertTrue(Glob.compile("logs/*.gz").matches("logs/a.gz"));
    assertFalse(Glob.compile("logs/*.gz").matches("logs/old/a.gz"));
    assertTrue(Glob.compile("**/*.jpg").matches("top.jpg"));
    assertTrue(Glob.compile("**/*.jpg").matches("a/b/c.jpg"));
    assertTrue(Glob.compile("f?.[ab]").matches("f1.a"));
    assertFalse(Glob.compile("f?.[!ab]").matches("f1.a"));
    assertTrue(Glob.compile("a+b(*)").matches("a+b(x)"));
    assertEquals("logs/2026", Glob.compile("logs/2026/*.gz").baseDirectory());
    assertFalse(Glob.compile("logs/*.gz").recursive());
    assertTrue(Glob.compile("logs/*/x.gz").recursive());
    assertFalse(Glob.isPattern("[接收]a.txt"));
    assertFalse(Glob.isPattern("literal\\*star"));
  }

  @Test
  void jsonEscapesEverythingThatWouldBreakALine() {
    String tricky = "q\" b\\ nl\n tab\t nul\0 del\u007F ls\u2028 中文 \uD83D\uDE00 lone\uD800";
    String line = Json.object().put("s", tricky).put("n", -5).put("b", true).put("absent", (String) null).toString();
    assertFalse(line.contains("\n"));
    assertEquals(Map.of("s", tricky.replace("\uD800", "\uD800"), "n", -5L, "b", true), TestJson.parseObject(line));
  }
}
