package lanfetch.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders log events as single lines; {@link LogFormat} picks one. */
interface LineFormat {
  /** Always milliseconds, never nanoseconds or none: columns line up and parsers see one form. */
  DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** "2026-11-22T02:30:00.123Z". */
  static String time(Instant t) {
    return TIME.format(t);
  }

  String access(AccessRecord r);

  String warn(Instant time, String client, String message);
}
