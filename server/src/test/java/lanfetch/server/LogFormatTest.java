package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Access and warning lines, exactly, in both formats; hostile names cannot forge lines. */
class LogFormatTest {
  static final Instant T = Instant.parse("2026-11-22T02:30:00.123Z");
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private ServerLog open(LogFormat format, boolean quiet) {
    return format.open(
        new PrintWriter(out), new PrintWriter(err), Clock.fixed(T, ZoneOffset.UTC), quiet);
  }

  private static AccessRecord record(String name) {
    return new AccessRecord(T, "127.0.0.1:50412", "GET", name, "OK", 5, Duration.ofNanos(400_000));
  }

  @Test
  void textLinesHaveOneFieldPerColumn() {
    var log = open(LogFormat.TEXT, false);
    log.access(record("报告 1.txt"));
    log.warn("127.0.0.1:50413", "TIMEOUT: no request for 60s");
    log.warn(null, "cannot accept a connection: Too many open files");
    assertEquals(
        "2026-11-22T02:30:00.123Z 127.0.0.1:50412 lanfetch GET \"报告 1.txt\" OK 5 0.4ms\n",
        out.toString());
    assertEquals(
        """
        2026-11-22T02:30:00.123Z WARN 127.0.0.1:50413 TIMEOUT: no request for 60s
        2026-11-22T02:30:00.123Z WARN server cannot accept a connection: Too many open files
        """,
        err.toString());
  }

  @Test
  void textEscapesControlCharactersInNamesAndMessages() {
    var log = open(LogFormat.TEXT, false);
    log.access(record("a\nFAKE \"line\""));
    log.warn("c", "bad \r\n name");
    assertEquals(1, out.toString().lines().count());
    assertEquals(
        "2026-11-22T02:30:00.123Z 127.0.0.1:50412 lanfetch GET \"a\\u000AFAKE \\\"line\\\"\" OK 5 0.4ms\n",
        out.toString());
    assertEquals("2026-11-22T02:30:00.123Z WARN c bad \\u000D\\u000A name\n", err.toString());
  }

  @Test
  void textEscapesC1SeparatorsAndBidiControlsInMessages() {
    var log = open(LogFormat.TEXT, false);
    log.warn("c", "x\u0085y\u2029z\u202Eevil\u2066");
    assertEquals(
        "2026-11-22T02:30:00.123Z WARN c x\\u0085y\\u2029z\\u202Eevil\\u2066\n", err.toString());
  }

  @Test
  void timesHaveExactlyMilliseconds() {
    var at = Instant.parse("2026-11-22T02:30:00.123456789Z");
    var whole = Instant.parse("2026-11-22T02:30:00Z");
    assertEquals("2026-11-22T02:30:00.123Z", LineFormat.time(at));
    assertEquals("2026-11-22T02:30:00.000Z", LineFormat.time(whole));
    var log = open(LogFormat.JSON, false);
    log.access(new AccessRecord(at, "c", "GET", "a", "OK", 1, Duration.ZERO));
    assertEquals(
        true, out.toString().startsWith("{\"time\":\"2026-11-22T02:30:00.123Z\","), out.toString());
  }

  @Test
  void jsonIsOneObjectPerLine() {
    var log = open(LogFormat.JSON, false);
    log.access(record("a\"b\\c\n"));
    log.warn(null, "tab\there");
    assertEquals(
        "{\"time\":\"2026-11-22T02:30:00.123Z\",\"type\":\"access\",\"client\":"
            + "\"127.0.0.1:50412\",\"protocol\":\"lanfetch\",\"request\":\"GET\",\"name\":\"a\\\"b\\\\c\\n\",\"status\":\"OK\","
            + "\"bytes\":5,\"durationMs\":0.400}\n",
        out.toString());
    assertEquals(
        "{\"time\":\"2026-11-22T02:30:00.123Z\",\"type\":\"warn\",\"client\":null,"
            + "\"message\":\"tab\\there\"}\n",
        err.toString());
  }

  @Test
  void jsonEscapesBidiAndC1CharactersInNamesAsTheClientDoes() {
    var log = open(LogFormat.JSON, false);
    log.access(record("evil\u202Etxt.exe\u0085\u2066"));
    log.warn(null, "x\u200Fy\u061C");
    assertTrue(
        out.toString().contains("\"name\":\"evil\\u202etxt.exe\\u0085\\u2066\""), out.toString());
    assertTrue(err.toString().contains("\"message\":\"x\\u200fy\\u061c\""), err.toString());
  }

  @Test
  void quietDropsAccessLinesButKeepsWarnings() {
    var log = open(LogFormat.TEXT, true);
    log.access(record("a"));
    log.warn("c", "something");
    assertEquals("", out.toString());
    assertEquals(1, err.toString().lines().count());
  }

  @Test
  void durationsParseAndFormatTheWayOperatorsWriteThem() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2M"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
    assertEquals(
        "'soon' is not a duration; use a number with ms, s, m or h, such as 500ms or 10s",
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Durations.parse("soon"))
            .getMessage());
  }

  @Test
  void ipv6AddressesAreWrittenShortAndBracketed() throws Exception {
    assertEquals(
        "[::1]:7890",
        Addresses.format(
            new java.net.InetSocketAddress(java.net.InetAddress.getByName("::1"), 7890)));
    assertEquals("fe80::1:0:0:2%eth0", Addresses.compress("fe80:0:0:0:1:0:0:2%eth0"));
    assertEquals("1:0:2:0:3:0:4:5", Addresses.compress("1:0:2:0:3:0:4:5"));
    assertEquals("::", Addresses.compress("0:0:0:0:0:0:0:0"));
    assertEquals("1::", Addresses.compress("1:0:0:0:0:0:0:0"));
    assertEquals(
        "127.0.0.1:5",
        Addresses.format(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 5)));
  }
}
