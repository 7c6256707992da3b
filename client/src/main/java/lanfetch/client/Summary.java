package lanfetch.client;

/**
 * The outcome of a whole {@code get}.
 *
 * @param files files the run set out to fetch (including ones that failed before any request)
 * @param done files now complete under their final name
 * @param skipped files left alone by policy (--skip-existing) or duplicate names
 * @param failed files that failed
 * @param bytes bytes received in this run
 * @param millis wall-clock duration
 * @param exitCode the process exit code, see {@link ExitCodes}
 * @param mirror the counts of an {@code --update} run, else null
 */
public record Summary(
    int files,
    int done,
    int skipped,
    int failed,
    long bytes,
    long millis,
    int exitCode,
    Mirror mirror) {

  /** The summary of a run that is not a mirror ({@code --update}). */
  public Summary(
      int files, int done, int skipped, int failed, long bytes, long millis, int exitCode) {
    this(files, done, skipped, failed, bytes, millis, exitCode, null);
  }

  /**
   * What an {@code --update} run did to the destination. {@code fresh + updated} is the summary's
   * {@code done}; unchanged files are counted in {@code files} but neither done nor skipped.
   *
   * @param fresh files that were not there before
   * @param updated files that replaced an older local copy
   * @param unchanged files already the server's version, not fetched
   * @param deleted local files, links and directories removed by {@code --delete}
   */
  public record Mirror(int fresh, int updated, int unchanged, int deleted) {}

  /** This summary with the mirror counts, another duration and exit code. */
  public Summary asMirror(Mirror counts, int moreFailed, long totalMillis, int exit) {
    return new Summary(
        files + counts.unchanged(),
        done,
        skipped,
        failed + moreFailed,
        bytes,
        totalMillis,
        exit,
        counts);
  }
}
