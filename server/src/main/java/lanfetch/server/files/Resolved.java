package lanfetch.server.files;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A requested name after confinement: its real path (no links left in it, inside the root) and that
 * path's attributes, read without following links.
 *
 * @param name the name as requested
 * @param real the real path, inside the root
 * @param attributes attributes of {@code real}
 */
record Resolved(String name, Path real, BasicFileAttributes attributes) {}
