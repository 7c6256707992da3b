/**
 * Turns what the user asked for (names, globs, {@code -r} trees, list files) into a {@link
 * lanfetch.client.plan.Plan}: one {@link lanfetch.client.Target} per file, with the local path it
 * will land at ({@link lanfetch.client.plan.LocalLayout}), clashes caught before any byte is
 * written. Lists the server through {@link lanfetch.client.net}.
 *
 * <p>Computes paths but never reads or writes the local file system: that is {@link
 * lanfetch.client.landing}'s job, once the transfer runs.
 */
package lanfetch.client.plan;
