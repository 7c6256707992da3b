package lanfetch.client;

/**
 * A file that arrived.
 *
 * @param size the whole file's size
 * @param received bytes received in this run (less than size after a resume)
 * @param millis time from its request being answered to its rename
 * @param sha256 hex digest when it was computed (--verify), else null
 */
public record Done(long size, long received, long millis, String sha256) {}
