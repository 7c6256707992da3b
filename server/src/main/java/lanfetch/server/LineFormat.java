package lanfetch.server;

import java.time.Instant;

/** Renders log events as single lines; {@link LogFormat} picks one. */
interface LineFormat {
  String access(AccessRecord r);

  String warn(Instant time, String client, String message);
}
