package lanfetch.client;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names each destination directory held when the run first looked at it: one directory
 * read instead of two {@code lstat} calls per file, which is most of the per-file cost of
 * thousands of small files landing in a fresh directory.
 *
 * <p>A name missing from the snapshot may still appear later (another program writing the
 * same directory); the rename into place checks the destination again, so the existing-file
 * policy holds regardless. Part files are this run's own, so a part missing here is simply
 * started fresh.
 */
final class DirectorySnapshot {
  /** Stands for a directory that could not be read: every name may exist. */
  private static final Set<String> UNKNOWN = Set.of();
  private final ConcurrentHashMap<Path, Set<String>> directories = new ConcurrentHashMap<>();

  /** Whether the file may exist; false only if its directory was read and did not hold it. */
  boolean mayExist(Path file) {
    Set<String> names = directories.computeIfAbsent(file.getParent(), DirectorySnapshot::read);
    return names == UNKNOWN || names.contains(file.getFileName().toString());
  }

  private static Set<String> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return UNKNOWN;  // not there yet or not readable: check each file itself
    }
    var names = new HashSet<String>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
      return names;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }
}
