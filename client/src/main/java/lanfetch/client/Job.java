package lanfetch.client;

/** A target on its way through the download queue, with its retry state. Owned by one thread at a time. */
final class Job {
  final Target target;
  /** Failed attempts so far. */
  int attempts;
  /** Throw away the partial file before the next attempt (the server's file changed). */
  boolean restart;
  /** Where the current attempt starts, decided just before its request is sent. */
  PartFile.Resume resume = PartFile.Resume.FRESH_START;

  Job(Target target) {
    this.target = target;
  }
}
