package lanfetch.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr or stdout is a terminal, and how wide, which Java 17 cannot ask directly. */
public final class Terminal {
  private Terminal() {}

  /**
   * On Linux, file descriptor 2 is a link to a tty or pty device exactly when stderr is a terminal.
   * Elsewhere (no /proc), System.console() tells whether stdin and stdout are a terminal, which is
   * the best proxy available without native code; piping stdout or stdin then also turns the bar
   * off, the safe direction to err in.
   */
  public static boolean stderrIsTerminal() {
    return isTerminal(2);
  }

  /** Whether stdout is a terminal, by the same rule as {@link #stderrIsTerminal}. */
  public static boolean stdoutIsTerminal() {
    return isTerminal(1);
  }

  private static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  /**
   * The terminal's width in columns: {@code $COLUMNS} when exported, else what {@code stty} says of
   * the controlling terminal, else 80. Asked once per run, and only when a bar is drawn.
   */
  public static int columns() {
    Integer fromEnv = positive(System.getenv("COLUMNS"));
    if (fromEnv != null) {
      return fromEnv;
    }
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String[] rowsCols =
          new String(
                  stty.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
              .trim()
              .split(" ");
      Integer cols =
          stty.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && rowsCols.length == 2
              ? positive(rowsCols[1])
              : null;
      return cols != null ? cols : 80;
    } catch (IOException e) {
      return 80;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 80;
    }
  }

  private static Integer positive(String s) {
    try {
      int n = s == null ? 0 : Integer.parseInt(s.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
