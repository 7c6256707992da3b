package lanfetch.client.landing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names each destination directory held when the run first looked at it: one directory read
 * instead of two {@code lstat} calls per file, which is most of the per-file cost of thousands of
 * small files landing in a fresh directory.
 *
 * <p>A name missing from the snapshot may still appear later (another program writing the same
 * directory); the rename into place checks the destination again, so the existing-file policy holds
 * regardless. A part missing here is started fresh; one that appeared meanwhile (another run's) is
 * met when this run opens and locks it ({@link OwnedPart}).
 */
public final class DirectorySnapshot {
  /** Stands for a directory that could not be read: every name may exist. */
  private static final Set<Path> UNKNOWN = Set.of();

  /** Per directory, the file names it held, as paths: they compare by bytes, with no decoding. */
  private final ConcurrentHashMap<Path, Set<Path>> directories = new ConcurrentHashMap<>();

  /** Whether the file may exist; false only if its directory was read and did not hold it. */
  public boolean mayExist(Path file) {
    Set<Path> names = directories.computeIfAbsent(file.getParent(), DirectorySnapshot::read);
    return names == UNKNOWN || names.contains(file.getFileName());
  }

  private static Set<Path> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return UNKNOWN; // not there yet or not readable: check each file itself
    }
    var names = new HashSet<Path>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName()));
      return names;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }
}
