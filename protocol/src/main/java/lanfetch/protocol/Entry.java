package lanfetch.protocol;

import java.util.Objects;

/**
 * One file or directory in a LIST or STAT answer.
 *
 * @param kind file or directory
 * @param size bytes, 0 for a directory
 * @param modifiedMillis last modification, milliseconds since 1970-01-01T00:00Z
 * @param name the path relative to the listed directory (LIST) or the requested name (STAT)
 */
public record Entry(EntryKind kind, long size, long modifiedMillis, String name) {
  public Entry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  public boolean isFile() {
    return kind == EntryKind.FILE;
  }

  public boolean isDirectory() {
    return kind == EntryKind.DIRECTORY;
  }
}
