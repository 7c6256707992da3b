/**
 * Internal: the transport. Owns every socket: the event loop that accepts, reads and enforces
 * connection limits and client deadlines, the per-connection protocol state, the TLS channel,
 * and the writer that puts answers on the wire (zero-copy where it can).
 *
 * <p>It never resolves a name or opens a file: it hands each request to {@link
 * lanfetch.server.files.RequestHandler} with an {@link lanfetch.server.files.AnswerSink} to
 * write to, and does not use {@code java.nio.file.Files}. It must not depend on {@code cli}.
 */
package lanfetch.server.net;
