package lanfetch.client.cli;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.RunException;
import lanfetch.protocol.PeerText;
import lanfetch.protocol.ProtocolException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns any exception escaping a command into one line on stderr and an exit code. A stack
 * trace is printed only for a bug (exit code 70), and only when {@code LANFETCH_DEBUG} is set.
 *
 * <p>A class rather than lambdas: picocli's interfaces are Java 5 class files, and JDK 17
 * cannot put a lambda implementing one into the class-data archive, and spinning it at run
 * time would slow every start (see the start-up rules in this package's package-info).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IExitCodeExceptionMapper,
    IParameterExceptionHandler {

  /** A bad command line: one line saying what is wrong and where help is, exit code 2. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("lanfetch: " + e.getMessage());
    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    int exit = getExitCode(e);
    cmd.getErr().println(PeerText.escape("lanfetch: " + message(e)));
    if (exit == ExitCodes.SOFTWARE && System.getenv("LANFETCH_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());  // asked for: the one place a trace helps, a bug report
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
      return "cannot use " + p.getInput() + " as a local file name (" + p.getReason()
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
