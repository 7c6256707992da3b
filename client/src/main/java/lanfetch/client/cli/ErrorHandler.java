package lanfetch.client.cli;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.RunException;
import lanfetch.protocol.PeerText;
import lanfetch.protocol.ProtocolException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns any exception escaping a command into one line on stderr and an exit code. A stack trace is
 * printed only for a bug (exit code 70), and only when {@code LANFETCH_DEBUG} is set.
 *
 * <p>A class rather than lambdas: picocli's interfaces are Java 5 class files, and JDK 17 cannot
 * put a lambda implementing one into the class-data archive, and spinning it at run time would slow
 * every start (see the start-up rules in this package's package-info).
 */
final class ErrorHandler
    implements IExecutionExceptionHandler, IExitCodeExceptionMapper, IParameterExceptionHandler {

  /** A bad command line: one line saying what is wrong and where help is, exit code 2. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("lanfetch: " + e.getMessage());
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String typed = u.getUnmatched().get(0);
      var candidates =
          new java.util.ArrayList<String>(
              typed.startsWith("-")
                  ? cmd.getCommandSpec().optionsMap().keySet()
                  : cmd.getSubcommands().keySet());
      String closest = closest(typed, candidates);
      if (!closest.isEmpty()) {
        cmd.getErr().println("lanfetch: did you mean " + closest + "?");
      }
    }
    cmd.getErr()
        .println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  /**
   * The candidates nearest to what was typed, by edit distance (picocli's own suggestions rank
   * {@code generate-completion} above {@code get} for {@code gte}), joined with "or"; empty when
   * none is near enough to be what was meant.
   */
  static String closest(String typed, java.util.List<String> candidates) {
    String word = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
    int limit = Math.max(2, word.length() / 2); // farther than that is no suggestion
    int best = Integer.MAX_VALUE;
    var nearest = new java.util.ArrayList<String>();
    for (String c : candidates) {
      int d = distance(word, c);
      if (d > limit) {
        continue;
      }
      if (d < best) {
        best = d;
        nearest.clear();
      }
      if (d == best) {
        nearest.add(c);
      }
    }
    return String.join(" or ", nearest);
  }

  /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    int exit = getExitCode(e);
    cmd.getErr().println(PeerText.escape("lanfetch: " + message(e)));
    if (exit == ExitCodes.SOFTWARE && System.getenv("LANFETCH_DEBUG") != null) {
      e.printStackTrace(cmd.getErr()); // asked for: the one place a trace helps, a bug report
    }
    cmd.getErr().flush();
    return exit;
  }

  @Override
  public int getExitCode(Throwable e) {
    if (e instanceof RunException r) {
      return r.exitCode();
    }
    if (e instanceof ProtocolException) {
      return ExitCodes.PROTOCOL;
    }
    if (e instanceof IOException || e instanceof InvalidPathException) {
      return ExitCodes.LOCAL;
    }
    if (e instanceof InterruptedException) {
      return ExitCodes.INTERRUPTED;
    }
    return ExitCodes.SOFTWARE;
  }

  static String message(Throwable e) {
    if (e instanceof InvalidPathException p) {
      return "cannot use "
          + p.getInput()
          + " as a local file name ("
          + p.getReason()
          + "); is the locale UTF-8? try LC_ALL=C.UTF-8";
    }
    if (e instanceof RunException || e instanceof ProtocolException) {
      return e.getMessage();
    }
    if (e instanceof IOException) {
      return Failures.describe((IOException) e);
    }
    return "internal error: " + e;
  }
}
