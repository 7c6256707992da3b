package lanfetch.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal, which Java 17 cannot ask directly. */
public final class Terminal {
  private Terminal() {}

  /**
   * On Linux, file descriptor 2 is a link to a tty or pty device exactly when stderr is a
   * terminal. Elsewhere (no /proc), System.console() tells whether stdin and stdout are a
   * terminal, which is the best proxy available without native code; piping stdout or stdin
   * then also turns the bar off, the safe direction to err in.
   */
  public static boolean stderrIsTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }
}
