package lanfetch.server;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;

/** A {@link ServerLog} writing whole lines to two writers, flushing each line. */
final class WriterLog implements ServerLog {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Clock clock;
  private final boolean quiet;
  private final LineFormat format;

  WriterLog(PrintWriter out, PrintWriter err, Clock clock, boolean quiet, LineFormat format) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.quiet = quiet;
    this.format = format;
  }

  @Override
  public void access(AccessRecord record) {
    if (!quiet) {
      line(out, format.access(record));
    }
  }

  @Override
  public void warn(String client, String message) {
    line(err, format.warn(clock.instant(), client, message));
  }

  private static void line(PrintWriter w, String line) {
    synchronized (w) {
      w.println(line);
      w.flush();
    }
  }
}
