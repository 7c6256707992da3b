package lanfetch.server.files;

import lanfetch.server.AccessRecord;

/**
 * How a request ended, for the access log and the event loop.
 *
 * @param status "OK", an error code name, or {@link AccessRecord#ABORTED}
 * @param bytes bytes written in answer
 * @param closeConnection whether the connection must be closed: it failed, stalled, or a body could
 *     not be completed
 * @param problem what went wrong, for a warning; null when nothing did
 */
public record Outcome(String status, long bytes, boolean closeConnection, String problem) {}
