/**
 * Where bytes land on the local disk: part files and their sidecars, the rules for resuming them,
 * directory snapshots, the disk-space check and the atomic commit into the final name.
 *
 * <p>Never opens a socket and never depends on {@link lanfetch.client.net}: it is handed a header's
 * numbers and a channel to fill, not a connection.
 */
package lanfetch.client.landing;
