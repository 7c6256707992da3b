/**
 * The download engine: a work queue shared by parallel pipelined connections, retries with backoff,
 * the tally of outcomes, the committers that sync and rename finished files, and the single-file
 * stream to stdout. Joins {@link lanfetch.client.net} (bytes from the server) to {@link
 * lanfetch.client.landing} (bytes on disk) and reports through {@link lanfetch.client.Events}.
 */
package lanfetch.client.transfer;
