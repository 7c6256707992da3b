package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import lanfetch.client.Units;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client prints does not depend on the machine's locale (numbers in Locale.ROOT, as the
 * server's), and {@code list} prints years as ISO 8601 does (issue 14 item 8).
 */
class LocaleIndependenceTest extends FakeServerTest {
  @TempDir Path dir;

  @Test
  void sizesAndTheSummaryLineUseADecimalPointWhateverTheLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      assertEquals("1.5 KiB", Units.bytes(1536));
      server.put("a", TestFiles.random(1536, 1)).put("b", TestFiles.random(1536, 2));
      var r = Cli.run("get", server.address(), "a", "b", "-o", dir.toString());
      assertEquals(0, r.exit(), r::toString);
      assertTrue(
          r.err()
              .matches(
                  "(?s).*lanfetch: 2 of 2 files done, 0 skipped, 0 failed; 3\\.0 KiB in \\d+\\.\\d s\n"),
          r::toString);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void listPrintsIsoYearsWithTheirSigns() {
    put("year0", 0);
    put("minus1", -1);
    put("year10000", 10000);
    server.put("oldest", new byte[1], Long.MIN_VALUE);
    var r = Cli.run("list", server.address());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(
        r.out().contains("0000-06-15 12:00:00 ") && line(r.out(), "year0").startsWith("0000-06-15"),
        r::toString);
    assertTrue(line(r.out(), "minus1").startsWith("-0001-06-15 "), r::toString);
    assertTrue(line(r.out(), "year10000").startsWith("+10000-06-15 "), r::toString);
    assertTrue(line(r.out(), "oldest").startsWith("-292275055-"), r::toString);
  }

  /** A file modified at noon on 15 June of {@code year}, local time: no zone moves its date. */
  private void put(String name, int year) {
    long millis =
        LocalDateTime.of(year, 6, 15, 12, 0)
            .atZone(ZoneId.systemDefault())
            .toInstant()
            .toEpochMilli();
    server.put(name, new byte[1], millis);
  }

  private static String line(String out, String name) {
    return out.lines()
        .filter(l -> l.endsWith("  " + name))
        .findFirst()
        .orElse("(no line for " + name + ")");
  }
}
