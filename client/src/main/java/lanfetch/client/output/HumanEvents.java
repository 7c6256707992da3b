package lanfetch.client.output;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.client.Units;
import lanfetch.protocol.PeerText;

/**
 * Messages for people, on stderr: one line per failed file, and (unless quiet) one line per skipped
 * file, one line for a file resumed from a partial file, a closing summary for batches, and where
 * the file landed for a run of one file. Progress shows nothing here.
 */
public final class HumanEvents implements Events {
  private final PrintWriter err;
  private final boolean quiet;
  private final boolean sayWhereLanded;

  /** Files of the plan; stays 0 until {@link #planned}. */
  private volatile int planned;

  /**
   * Whether a name failed or was skipped before the plan was made: then the run was not one file.
   */
  private volatile boolean settledEarly;

  /** Files that had an attempt started in this run. */
  private final Set<String> startedOnce = ConcurrentHashMap.newKeySet();

  private final Set<String> runLevelShown = ConcurrentHashMap.newKeySet();

  /** Failures that are the server's or the connection's, shared by every file left. */
  private static final Set<FailureCode> RUN_LEVEL =
      EnumSet.of(FailureCode.CONNECTION, FailureCode.REFUSED, FailureCode.PROTOCOL);

  /**
   * @param err stderr, or, with a progress bar, a {@link Screen} writer that prints above the bar
   * @param sayWhereLanded print where the file landed when the run was a single file (not for
   *     {@code --json}, nor for {@code -o -})
   */
  public HumanEvents(PrintWriter err, boolean quiet, boolean sayWhereLanded) {
    this.err = err;
    this.quiet = quiet;
    this.sayWhereLanded = sayWhereLanded && !quiet;
  }

  @Override
  public void planned(int files, long knownBytes) {
    planned = files;
  }

  /**
   * Says once per file that it goes on from bytes already on disk, when its first attempt of the
   * run starts past 0; later attempts within the run were announced as retries.
   */
  @Override
  public void started(Target t, long size, long offset) {
    if (quiet) {
      return; // says nothing, so need not remember every name of the run
    }
    if (startedOnce.add(t.name()) && offset > 0) {
      print("lanfetch: resuming " + PeerText.quote(t.name()) + " at " + Units.bytes(offset));
    }
  }

  @Override
  public void done(Target t, Done d) {
    if (sayWhereLanded && planned == 1 && !settledEarly) {
      print(
          "lanfetch: "
              + PeerText.quote(t.name())
              + " saved as "
              + shown(t.destination())
              + " ("
              + Units.bytes(d.size())
              + ")");
    }
  }

  /** The path as short as it can be said: relative to the working directory when inside it. */
  private static String shown(Path path) {
    Path here = Path.of("").toAbsolutePath();
    return path.isAbsolute() && path.startsWith(here) && !path.equals(here)
        ? here.relativize(path).toString()
        : path.toString();
  }

  @Override
  public void skipped(Target t, String reason) {
    if (planned == 0) {
      settledEarly = true;
    }
    if (!quiet) {
      print("lanfetch: " + PeerText.quote(t.name()) + ": skipped, " + reason);
    }
  }

  /** An --update run says nothing per unchanged file: a run with nothing to do is one line. */
  @Override
  public void unchanged(Target t) {}

  @Override
  public void failed(String name, Path destination, FileFailure f) {
    if (planned == 0) {
      settledEarly = true;
    }
    if (RUN_LEVEL.contains(f.code()) && !runLevelShown.add(f.getMessage())) {
      return; // the server went away for every file left: say so once, not once per file
    }
    print("lanfetch: " + PeerText.quote(name) + ": " + f.getMessage());
  }

  @Override
  public void finished(Summary s) {
    if (quiet) {
      return;
    }
    if (s.mirror() != null) {
      print(mirrorLine(s));
      return;
    }
    if (s.files() <= 1) {
      return;
    }
    print(
        "lanfetch: "
            + s.done()
            + " of "
            + s.files()
            + " files done, "
            + s.skipped()
            + " skipped, "
            + s.failed()
            + " failed; "
            + Units.bytes(s.bytes())
            + " in "
            + Units.seconds(s.millis()));
  }

  /** Every --update run ends with this line, whatever its size: what changed, in one line. */
  private static String mirrorLine(Summary s) {
    var m = s.mirror();
    return "lanfetch: "
        + m.fresh()
        + " new, "
        + m.updated()
        + " updated, "
        + m.unchanged()
        + " unchanged, "
        + m.deleted()
        + " deleted, "
        + s.failed()
        + " failed"
        + (s.skipped() > 0 ? ", " + s.skipped() + " skipped" : "")
        + "; "
        + Units.bytes(s.bytes())
        + " in "
        + Units.seconds(s.millis());
  }

  private synchronized void print(String line) {
    err.println(PeerText.escape(line)); // names and server messages may hold spoofing characters
    err.flush();
  }
}
