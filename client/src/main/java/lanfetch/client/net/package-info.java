/**
 * Talks to a server: connecting (TLS included), the handshake, typed messages out and in, the raw
 * GET body after its header, listings and STATs, and what an ERROR frame means.
 *
 * <p>Never touches the local file system ({@code java.nio.file}): a body goes into a {@link
 * java.nio.channels.FileChannel} or sink that the caller opened. Never depends on {@link
 * lanfetch.client.landing}, which decides where bytes land.
 */
package lanfetch.client.net;
