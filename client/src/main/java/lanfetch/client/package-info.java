/**
 * The client's shared vocabulary, used by every sub-package: what a run is asked to do ({@link
 * lanfetch.client.Settings}, {@link lanfetch.client.Target}), how it ends ({@link
 * lanfetch.client.FileFailure}, {@link lanfetch.client.RunException}, {@link
 * lanfetch.client.ExitCodes}, {@link lanfetch.client.Summary}) and the listener interface through
 * which a run reports ({@link lanfetch.client.Events}).
 *
 * <p>Internal to the client. Holds values and rules only: no sockets, no file access, no threads,
 * and no picocli.
 */
package lanfetch.client;
