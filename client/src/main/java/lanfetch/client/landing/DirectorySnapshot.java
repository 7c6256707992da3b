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
final class DirectorySnapshot {
  /** Stands for a directory that could not be read: every name may exist. */
  static final Names UNKNOWN = new Names(Set.of());

  /** Per directory, the file names it held. */
  private final ConcurrentHashMap<Path, Names> directories = new ConcurrentHashMap<>();

  /** What {@code dir} held when the run first looked at it. */
  Names of(Path dir) {
    return directories.computeIfAbsent(dir, DirectorySnapshot::read);
  }

  /**
   * The file names one directory held, as paths: they compare by bytes, with no decoding. A fresh
   * directory held none: then no name is looked up, nor even made.
   */
  record Names(Set<Path> names) {
    boolean mayHold(Path file) {
      return this == UNKNOWN || !names.isEmpty() && names.contains(file.getFileName());
    }

    /** Whether the directory was read and held nothing. */
    boolean isEmpty() {
      return this != UNKNOWN && names.isEmpty();
    }
  }

  private static Names read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return UNKNOWN; // not there yet or not readable: check each file itself
    }
    var names = new HashSet<Path>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName()));
      return new Names(names);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }
}
