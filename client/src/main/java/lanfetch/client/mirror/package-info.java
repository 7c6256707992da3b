/**
 * {@code --update} and {@code --delete}: what makes a {@code get} a mirror. Compares the plan with
 * the local copies (size and time from the listing, or SHA-256 with {@code --checksum}) so that
 * only what changed is fetched; clears what stands where the server now has another kind of entry;
 * removes, after a clean run, what the server no longer lists; gives directories the server's times
 * once their contents are in place.
 *
 * <p>Touches the local file system only below the destinations the plan computed, and removes
 * nothing through a symbolic link: directories are read and emptied through handles opened without
 * following links ({@link java.nio.file.SecureDirectoryStream}) where the platform has them.
 */
package lanfetch.client.mirror;
