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
 */
public record Summary(
    int files, int done, int skipped, int failed, long bytes, long millis, int exitCode) {}
