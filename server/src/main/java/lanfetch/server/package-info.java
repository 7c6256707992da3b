/**
 * The lanfetch server's public API and its wiring: {@link lanfetch.server.FileServer} starts and
 * stops a server from a {@link lanfetch.server.ServerConfig}; {@link lanfetch.server.ServerLog} and
 * {@link lanfetch.server.AccessRecord} are what it reports, with the text and JSON line formats
 * behind {@link lanfetch.server.LogFormat}. Also the few shared values every layer formats the same
 * way (durations, socket addresses, the version).
 *
 * <p>The implementation is split by concern into sub-packages: {@code net} owns sockets, {@code
 * files} decides what is served, {@code security} holds tokens and keys, {@code cli} is the command
 * line. This package wires them together and must not depend on {@code cli}.
 */
package lanfetch.server;
