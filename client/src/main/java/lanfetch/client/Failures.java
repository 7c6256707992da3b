package lanfetch.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import lanfetch.common.FileErrors;

/** One-line descriptions of I/O exceptions, and their classification for per-file errors. */
public final class Failures {
  private Failures() {}

  /** A local file-system failure as a {@link FileFailure} naming the path and the cause. */
  public static FileFailure local(String action, IOException e) {
    if (e instanceof FileFailure f) {
      return f;
    }
    FailureCode code = isNoSpace(e) ? FailureCode.NO_SPACE : FailureCode.LOCAL_IO;
    String why = describe(e);
    if (e instanceof FileSystemException f
        && f.getFile() != null
        && action.endsWith(" " + f.getFile())) {
      why = why.substring(f.getFile().length() + 2); // the action already names the file
    }
    return new FileFailure(code, "cannot " + action + ": " + why, e);
  }

  static boolean isNoSpace(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("no space left")
        || m.contains("out of storage")
        || m.contains("disk full")
        || m.contains("not enough space")
        || m.contains("out of disk space")
        || m.contains("quota");
  }

  /** One line saying what went wrong, without the exception class names. */
  public static String describe(IOException e) {
    if (e instanceof FileFailure || e instanceof RunException) {
      return e.getMessage();
    }
    if (e instanceof FileSystemException) {
      return FileErrors.describe(e);
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out (" + e.getMessage() + ")";
    }
    if (e instanceof EOFException) {
      return "connection closed: " + e.getMessage();
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return e.getMessage() == null
          ? "connection refused"
          : e.getMessage().toLowerCase(Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
