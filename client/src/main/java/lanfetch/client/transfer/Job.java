package lanfetch.client.transfer;

import lanfetch.client.Target;
import lanfetch.client.landing.PartFile;

/**
 * A target on its way through the work queue, with its retry state. Owned by one thread at a time
 * (a connection's writer, then its reader, then a committer), handed on through queues.
 */
final class Job {
  final Target target;

  /** Failed attempts so far. */
  int attempts;

  /** Throw away the partial file before the next attempt (the server's file changed). */
  boolean restart;

  /** Where the current attempt starts, decided just before its request is sent. */
  PartFile.Resume resume = PartFile.Resume.FRESH_START;

  /** This run has written a part for it: the directory snapshot no longer tells. */
  boolean touched;

  /** Whether a stale sidecar may lie beside the part; if not, starting over skips deleting it. */
  boolean metaMayExist = true;

  /**
   * The size of the destination that exists already, to compare with the server's file before
   * anything is fetched (an empty GET from this offset, PROTOCOL.md 5.4); -1 to download it.
   */
  long existingSize = -1;

  /** The existing destination's mtime, in milliseconds, when {@link #existingSize} is set. */
  long existingMillis;

  // ---- the attempt reported as started, written by the thread that owns the job ----
  /** The size the open attempt announced; -1 when no attempt is open. */
  long startedSize = -1;

  /** The open attempt's offset plus the body bytes reported for it. */
  long position;

  Job(Target target) {
    this.target = target;
  }
}
