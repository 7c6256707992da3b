package lanfetch.server;

import java.io.PrintWriter;
import java.time.Clock;

/** How log lines are written: for people, or one JSON object per line for log shippers. */
public enum LogFormat {
  TEXT,
  JSON;

  /**
   * A log writing access lines to {@code out} and warnings to {@code err}.
   *
   * @param quiet drop access lines; warnings are still written
   */
  public ServerLog open(PrintWriter out, PrintWriter err, Clock clock, boolean quiet) {
    return new WriterLog(out, err, clock, quiet, this == JSON ? new JsonLines() : new TextLines());
  }
}
