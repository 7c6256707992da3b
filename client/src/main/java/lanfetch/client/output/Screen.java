package lanfetch.client.output;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The terminal as one writer: a status line (the progress bar) kept on the last line of the screen,
 * and every message printed above it. Each message clears the status line, is printed whole, and
 * the status line is drawn again below it, all under one lock, so no message is ever drawn over,
 * whoever prints it and in whatever order.
 *
 * <p>The status line is drawn with a carriage return and erase-to-end-of-line only, never with
 * cursor movement up: it can only overwrite itself.
 */
public final class Screen {
  private static final String CLEAR = "\r\033[K";

  private final PrintWriter err;

  /** The status line as drawn; null when none is on the screen. Guarded by {@code this}. */
  private String status;

  public Screen(PrintWriter err) {
    this.err = err;
  }

  /** A writer whose every line goes to {@code target} above the status line (stderr or stdout). */
  public PrintWriter above(PrintWriter target) {
    return new PrintWriter(new LineWriter(this, target), true);
  }

  /** Prints {@code line} on {@code target} above the status line. */
  synchronized void println(PrintWriter target, String line) {
    if (status != null) {
      err.print(CLEAR);
      err.flush();
    }
    target.println(line);
    target.flush();
    if (status != null) {
      err.print(status);
      err.flush();
    }
  }

  /** Draws {@code line} as the status line, in place of the one before. */
  synchronized void status(String line) {
    status = line;
    err.print(CLEAR + line);
    err.flush();
  }

  /** Leaves the status line on the screen as it is, as a line of its own; later lines go below. */
  synchronized void keepStatus() {
    if (status != null) {
      err.println();
      err.flush();
      status = null;
    }
  }

  /** Erases the status line, if one is drawn. */
  public synchronized void clearStatus() {
    if (status != null) {
      err.print(CLEAR);
      err.flush();
      status = null;
    }
  }

  /** Collects characters until a line is complete, then hands the line to the screen. */
  private static final class LineWriter extends Writer {
    private final Screen screen;
    private final PrintWriter target;
    private final StringBuilder line = new StringBuilder();

    LineWriter(Screen screen, PrintWriter target) {
      this.screen = screen;
      this.target = target;
    }

    @Override
    public void write(char[] chars, int off, int len) {
      synchronized (line) {
        for (int i = off; i < off + len; i++) {
          char c = chars[i];
          if (c == '\n') {
            int end =
                line.length() > 0 && line.charAt(line.length() - 1) == '\r'
                    ? line.length() - 1
                    : line.length();
            screen.println(target, line.substring(0, end));
            line.setLength(0);
          } else {
            line.append(c);
          }
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      synchronized (line) {
        if (line.length() > 0) {
          screen.println(target, line.toString());
          line.setLength(0);
        }
      }
    }
  }
}
