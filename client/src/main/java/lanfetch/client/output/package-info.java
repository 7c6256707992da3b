/**
 * What a run shows: messages for people on stderr, {@code --json} lines on stdout, and the progress
 * bar. Implementations of {@link lanfetch.client.Events}.
 *
 * <p>Never touches the file system (a {@link java.nio.file.Path} is shown as a value only) and
 * never the network: whatever it prints is decided elsewhere and handed to it.
 */
package lanfetch.client.output;
