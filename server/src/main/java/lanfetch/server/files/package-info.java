/**
 * Internal: what is served. Maps a requested name to a file confined to the root (links, hidden
 * names, swaps under our feet), answers GET, LIST, STAT and HASH, and caches digests.
 *
 * <p>It never sees a socket: answers go to an {@link lanfetch.server.files.AnswerSink}, and nothing
 * here imports {@code lanfetch.server.net}, {@code SocketChannel} or {@code Selector}. It must not
 * depend on {@code cli}. Any NIO file system works (tests use jimfs).
 */
package lanfetch.server.files;
