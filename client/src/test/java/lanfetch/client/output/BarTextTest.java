package lanfetch.client.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bar's line from plain numbers: units, columns, ellipsis, counts. */
class BarTextTest {
  private static final long MIB = 1 << 20;

  private static BarText.State single(String name, long pos, long total, long rate, long eta) {
    return new BarText.State(name, true, 1, 0, 0, 0, pos, total, rate, eta);
  }

  @Test
  void sizesScaleWithTheirUnit() {
    String small = BarText.line(single("a.txt", 300, 700, -1, -1), 80);
    assertTrue(small.contains("300 B / 700 B"), small);
    String mid =
        BarText.line(
            single("b.bin", 4 * MIB + 300 * 1024, 4 * MIB + 300 * 1024, 2 * MIB + MIB / 2, 0), 80);
    assertTrue(mid.contains("4.3 MiB / 4.3 MiB"), mid);
    assertTrue(mid.contains(" 2.5 MiB/s"), mid);
    String big = BarText.line(single("c.iso", 3L << 30, 4L << 30, 600 * 1024, 3600), 80);
    assertTrue(
        big.contains("3.0 GiB / 4.0 GiB")
            && big.contains("600.0 KiB/s")
            && big.contains("ETA 1:00:00"),
        big);
  }

  @Test
  void anUnknownRateAndEtaAreLeftOut() {
    String line = BarText.line(single("a.bin", 0, 10 * MIB, -1, -1), 80);
    assertFalse(line.contains("/s") || line.contains("?") || line.contains("ETA"), line);
  }

  @Test
  void failedAndSkippedAreCountedApartFromDone() {
    var s = new BarText.State("x", false, 500, 158, 342, 0, 10, 10, -1, -1);
    String line = BarText.line(s, 120);
    assertTrue(line.contains("158/500 done, 342 failed"), line);
    var skipped = new BarText.State("x", false, 501, 0, 0, 501, 0, 0, -1, -1);
    String all = BarText.line(skipped, 120);
    assertTrue(all.contains("100%") && all.contains("0/501 done, 501 skipped"), all);
  }

  @Test
  void wideCharactersTakeTwoColumns() {
    assertEquals(4, BarText.columns("报告"));
    assertEquals(6, BarText.columns("a报告b"));
    assertEquals(1, BarText.columns("e\u0301"));
  }

  @Test
  void longNamesAreShortenedInTheMiddle() {
    String s = BarText.ellipsize("photos/2024/summer/very-long-name-of-a-picture.jpg", 20);
    assertEquals(20, BarText.columns(s));
    assertTrue(s.startsWith("photos/20") && s.endsWith(".jpg") && s.contains("\u2026"), s);
    String wide = BarText.ellipsize("报告报告报告报告报告报告.pdf", 11);
    assertTrue(BarText.columns(wide) <= 11 && wide.endsWith(".pdf"), wide);
  }

  @ParameterizedTest
  @ValueSource(ints = {40, 60, 80, 100, 200})
  void theLineFitsTheTerminalWithABarAndTheNumbers(int width) {
    String name = "报告".repeat(15) + ".pdf"; // 30 characters, 64 columns
    String line = BarText.line(single(name, 12 * MIB, 27 * MIB, 1536 * 1024, 9), width);
    assertTrue(
        BarText.columns(line) <= width - 1, () -> BarText.columns(line) + " columns: " + line);
    assertTrue(line.contains("44%"), line);
    if (width >= 80) {
      assertTrue(line.contains("12.0 MiB / 27.0 MiB 1.5 MiB/s ETA 0:09"), line);
      assertTrue(
          line.matches(".*\\[#+ +\\].*") && line.indexOf('[') + 12 < line.indexOf(']'), line);
    }
  }

  @Test
  void connectingNamesTheHost() {
    assertEquals("connecting to nas.local ...", BarText.connecting("nas.local", 80));
  }

  @Test
  void clockReadsAsPeopleSayIt() {
    assertEquals("0:07", BarText.clock(7));
    assertEquals("12:05", BarText.clock(725));
    assertEquals("3:02:09", BarText.clock(3 * 3600 + 129));
  }
}
