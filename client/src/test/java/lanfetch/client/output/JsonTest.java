package lanfetch.client.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import lanfetch.client.testing.TestJson;
import org.junit.jupiter.api.Test;

/** The JSON escaper every --json line goes through. */
class JsonTest {
  @Test
  void jsonEscapesEverythingThatWouldBreakALine() {
    String tricky = "q\" b\\ nl\n tab\t nul\0 del\u007F ls\u2028 中文 \uD83D\uDE00 lone\uD800";
    String line =
        Json.object()
            .put("s", tricky)
            .put("n", -5)
            .put("b", true)
            .put("absent", (String) null)
            .toString();
    assertFalse(line.contains("\n"));
    assertEquals(
        Map.of("s", tricky.replace("\uD800", "\uD800"), "n", -5L, "b", true),
        TestJson.parseObject(line));
  }
}
