/**
 * Internal: HTTP/1.1 on the lanfetch port, for browsers, curl and wget. {@link
 * lanfetch.server.http.HttpSession} turns a connection's bytes into requests with Netty's {@code
 * HttpRequestDecoder} (the parser, its limits and its smuggling defences are the library's), and
 * checks the access token; {@link lanfetch.server.http.HttpResponder} answers a request on a worker
 * thread, with the very code the lanfetch protocol uses to find, list and open files ({@link
 * lanfetch.server.files.RequestHandler#target}).
 *
 * <p>It never sees a socket: the transport ({@code lanfetch.server.net}) reads, keeps deadlines and
 * limits, and gives the responder an {@link lanfetch.server.http.HttpSink} to write to; file bodies
 * go out zero-copy through it where the transport allows. Nothing here imports {@code
 * lanfetch.server.net}, {@code SocketChannel} or {@code Selector}, or depends on {@code cli}.
 */
package lanfetch.server.http;
