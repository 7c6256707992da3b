/**
 * Internal: the transport. Owns every socket. {@link lanfetch.server.net.EventLoop} selects, runs
 * queued tasks, accepts within the {@code ConnectionLimits} and expires deadlines; {@code
 * ConnectionHandler} moves each {@code Connection} through its states (detecting the protocol from
 * the first byte, handshake, requests, refusals, lingering close); workers answer through a {@code
 * ConnectionHandle} and the {@code AnswerWriter}, zero-copy where they can; {@code TlsChannel}
 * carries it all over TLS.
 *
 * <p>It never resolves a name or opens a file: it hands each lanfetch request to {@link
 * lanfetch.server.files.RequestHandler} with an {@link lanfetch.server.files.AnswerSink} to write
 * to, and each HTTP request (a client whose first byte is a letter) to {@link
 * lanfetch.server.http.HttpResponder} with the same writer, and does not use {@code
 * java.nio.file.Files}. HTTP connections live in the same loop, under the same limits, deadlines
 * and shutdown, as lanfetch ones. It must not depend on {@code cli}.
 */
package lanfetch.server.net;
