package lanfetch.common;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Secret files (access tokens, TLS keys, known_hosts) as ssh treats private keys: one readable by
 * others is refused, and one written by lanfetch is owner-only from the moment it exists and
 * appears whole or not at all. On file systems without POSIX permissions (Windows, some mounts) the
 * permission parts are skipped; the atomic replacement still holds.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  /** Thrown when a secret file may be read or written by others than its owner. */
  public static final class NotPrivateException extends IOException {
    private static final long serialVersionUID = 1L;

    NotPrivateException(String message) {
      super(message);
    }
  }

  /**
   * Refuses a secret file that others may read or write.
   *
   * @param what how messages name the file, e.g. "token file"
   * @throws NotPrivateException naming the file, its permissions and the command that fixes them
   */
  public static void checkPrivate(Path file, String what) throws IOException {
    if (!isPosix(file)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!FILE.containsAll(perms)) {
      throw new NotPrivateException(
          what
              + " "
              + file
              + " is accessible by others ("
              + PosixFilePermissions.toString(perms)
              + "); run: chmod 600 "
              + file);
    }
  }

  /** Creates an empty owner-only file in one step; fails if it exists. */
  public static Path createFile(Path file) throws IOException {
    return isPosix(file) ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
  }

  /**
   * Creates the directory and any missing parents; those it creates are owner-only.
   *
   * @throws FileSystemException "not a directory", naming the path, where a file is in the way
   */
  public static Path createDirectories(Path dir) throws IOException {
    try {
      return isPosix(dir)
          ? Files.createDirectories(dir, attribute(DIRECTORY))
          : Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new FileSystemException(e.getFile(), null, "not a directory");
    }
  }

  /** A new owner-only temporary directory inside {@code dir}. */
  public static Path createTempDirectory(Path dir, String prefix) throws IOException {
    return isPosix(dir)
        ? Files.createTempDirectory(dir, prefix, attribute(DIRECTORY))
        : Files.createTempDirectory(dir, prefix);
  }

  /** Narrows an existing file to owner-only, where the file system knows owners. */
  public static void restrict(Path file) throws IOException {
    if (isPosix(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /**
   * Replaces {@code file} with {@code content}: written to an owner-only temporary file beside it,
   * then renamed over it atomically, so a crash or a parallel writer never leaves it half-written
   * and there is no moment when others could read it. Missing parent directories are created
   * owner-only.
   */
  public static void writeAtomically(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(dir);
    String prefix = "." + file.getFileName() + "-";
    Path tmp =
        isPosix(dir)
            ? Files.createTempFile(dir, prefix, ".tmp", attribute(FILE))
            : Files.createTempFile(dir, prefix, ".tmp");
    try {
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> p) {
    return PosixFilePermissions.asFileAttribute(p);
  }
}
