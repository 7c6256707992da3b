package lanfetch.client.landing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FailureCode;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.Sha256;

/**
 * The temporary file a download is written to, and the rules for resuming it.
 *
 * <p>Bytes go to {@code .[接收]name.part}. For files of {@link #RESUMABLE_MIN} bytes or more a
 * sidecar {@code .[接收]name.part.meta} records the server's size and mtime, and is written
 * and synced <em>before</em> the first byte of the part: whenever a part exists after a crash
 * or {@code kill -9}, its sidecar already says which version of the file it holds. A part
 * without a readable sidecar is never resumed, so a changed file can never be spliced onto an
 * old prefix. Smaller files just start over, which costs less than the sidecar.
 */
public final class PartFile {
  private PartFile() {}

  /** Files smaller than this restart from zero instead of resuming. */
  public static final long RESUMABLE_MIN = 256 * 1024;
  private static final String META_MAGIC = "lanfetch-part 1";
  private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.WRITE,
      LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> FRESH = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> TRUNCATE = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);

  /**
   * Where a download of the target may start.
   *
   * @param offset bytes already in the part; 0 to start over
   * @param size the server's size when the part was begun (meaningful when offset > 0)
   * @param modifiedMillis the server's mtime then
   */
  public record Resume(long offset, long size, long modifiedMillis) {
    public static final Resume FRESH_START = new Resume(0, -1, 0);
  }

  /**
   * Where the target's download may start: after the bytes of an existing part whose sidecar
   * names the server's version, or at zero. Starting over deletes nothing yet: {@link #open}
   * does, in an order that is safe at every step.
   */
  public static Resume inspect(Target target, boolean resume) throws FileFailure {
    try {
      if (dropLeftover(target)) {
        return Resume.FRESH_START;
      }
      if (resume && Files.isRegularFile(target.part(), LinkOption.NOFOLLOW_LINKS)) {
        Resume r = readMeta(target.meta(), Files.size(target.part()));
        if (r != null) {
          return r;
        }
      }
      return Resume.FRESH_START;
    } catch (IOException e) {
      throw Failures.local("read " + target.part(), e);
    }
  }

  /**
   * Removes a part that is another name of the destination, with its sidecar. A complete file
   * gets its final name by a hard link before its part name is removed; a crash between the two
   * leaves such a part. Resuming into it, or truncating it, would write into the destination
   * in place. The destination itself stays as it is.
   *
   * @return whether there was one
   */
  public static boolean dropLeftover(Target target) throws IOException {
    if (!isSameFile(target.part(), target.destination())) {
      return false;
    }
    discard(target);
    return true;
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;  // one of them missing or unreadable: not one file
    }
  }

  private static Resume readMeta(Path meta, long partLength) throws IOException {
    if (!Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS) || partLength == 0) {
      return null;
    }
    String[] lines = new String(Files.readAllBytes(meta), StandardCharsets.UTF_8).split("\n");
    if (lines.length < 2 || !lines[0].equals(META_MAGIC)) {
      return null;
    }
    String[] fields = lines[1].split(" ");
    try {
      long size = Long.parseLong(fields[0]);
      long mtime = Long.parseLong(fields[1]);
      return partLength <= size ? new Resume(partLength, size, mtime) : null;
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /**
   * Opens the part for the body announced by {@code header}, positioned at its offset.
   *
   * <p>Starting over, the old data goes before the new sidecar is written, so a crash between
   * any two steps never leaves a sidecar vouching for bytes of another version: a large file
   * deletes its part, writes and syncs its sidecar, then creates the part; a small one deletes
   * any stale sidecar, then creates the part, deleting an old one first if there is one. An old
   * part is never truncated: it may be another name of a file (see {@link #dropLeftover}).
   */
  public static FileChannel open(Target target, GetHeader header, boolean metaMayExist) throws FileFailure {
    Path part = target.part();
    try {
      if (header.offset() > 0) {
        var channel = FileChannel.open(part, APPEND);
        channel.position(header.offset());
        return channel;
      }
      if (header.size() >= RESUMABLE_MIN) {
        Files.deleteIfExists(part);
        writeMeta(target.meta(), header);
        return FileChannel.open(part, FRESH);
      }
      if (metaMayExist) {
        Files.deleteIfExists(target.meta());
      }
      try {
        return FileChannel.open(part, FRESH);  // one system call when there is no old part
      } catch (FileAlreadyExistsException e) {
        Files.delete(part);
        return FileChannel.open(part, FRESH);
      }
    } catch (IOException e) {
      throw Failures.local("create " + part, e);
    }
  }

  private static void writeMeta(Path meta, GetHeader header) throws IOException {
    byte[] text = (META_MAGIC + "\n" + header.size() + " " + header.modifiedMillis() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    try (var channel = FileChannel.open(meta, TRUNCATE)) {
      channel.write(ByteBuffer.wrap(text));
      channel.force(false);  // fdatasync: data and size, all a reader of the file needs
    }
  }

  /** Deletes the part and its sidecar (never following links). */
  public static void discard(Target target) throws IOException {
    Files.deleteIfExists(target.part());
    Files.deleteIfExists(target.meta());
  }

  /**
   * Syncs a complete part and moves it atomically to its final name, honouring the policy for
   * an existing destination. On failure the part stays for a later run.
   *
   * @return false if the destination existed and the policy says to skip
   */
  public static boolean commit(Target target, FileChannel channel, long size, ExistingPolicy policy)
      throws FileFailure {
    try (channel) {
      channel.force(false);  // fdatasync: data and size, all a reader of the file needs
    } catch (IOException e) {
      throw Failures.local("write " + target.part(), e);
    }
    try {
      if (policy == ExistingPolicy.OVERWRITE) {
        // Whether an atomic move replaces an existing target is up to the file system unless
        // asked: POSIX rename does, jimfs and others refuse without REPLACE_EXISTING.
        Files.move(target.part(), target.destination(), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } else if (!placeWithoutReplacing(target)) {
        if (policy == ExistingPolicy.SKIP) {
          return false;
        }
        throw existsFailure(target);
      }
      if (size >= RESUMABLE_MIN) {
        Files.deleteIfExists(target.meta());  // small files never have one: see open()
      }
      return true;
    } catch (IOException e) {
      throw Failures.local("rename " + target.part() + " to " + target.destination().getFileName(), e);
    }
  }

  /**
   * Gives the part its final name unless that name exists, as one atomic step: a hard link,
   * which never replaces anything (a symbolic link at the destination included), then the part
   * name goes. Checking first and renaming after would leave a moment in which a file created
   * meanwhile is silently replaced, and costs a failing lstat, which Java reports by building
   * an exception: a measurable share of each small file. File systems without hard links (FAT,
   * some network shares) take the check-and-rename path.
   *
   * <p>A crash between the two steps leaves the complete, synced file under its final name and
   * the same file under the part name; nothing incomplete ever has the final name.
   *
   * @return false if the destination exists
   */
  private static boolean placeWithoutReplacing(Target target) throws IOException {
    try {
      Files.createLink(target.destination(), target.part());
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException | UnsupportedOperationException e) {
      if (exists(target.destination())) {
        return false;
      }
      Files.move(target.part(), target.destination(), StandardCopyOption.ATOMIC_MOVE);
      return true;
    }
    try {
      Files.delete(target.part());
    } catch (IOException e) {
      // The file is complete under its final name; what is left is another name for it.
    }
    return true;
  }

  public static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  public static FileFailure existsFailure(Target target) {
    String kind = Files.isSymbolicLink(target.destination()) ? " (a symbolic link, not followed)" : "";
    return new FileFailure(FailureCode.EXISTS, target.destination() + " already exists" + kind
        + "; use --overwrite or --skip-existing");
  }

  /**
   * Creates the directories from the output directory down to {@code dir}, refusing to pass
   * through symbolic links. The output directory itself is never recreated: if it vanished
   * during the run, that is an error.
   */
  public static void createDirectories(Path outputDir, Path dir) throws FileFailure {
    if (dir.equals(outputDir)) {
      return;
    }
    try {
      Path p = outputDir;
      for (Path name : outputDir.relativize(dir)) {
        p = p.resolve(name.toString());
        ensureDirectory(p);
      }
    } catch (IOException e) {
      throw Failures.local("create directory " + dir, e);
    }
  }

  private static void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(dir)) {
      throw new AccessDeniedException(dir.toString(), null, "a symbolic link where a directory belongs; not followed");
    }
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new java.nio.file.NotDirectoryException(dir.toString());
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.getParent().toString(), null, "directory vanished");
    }
  }

  /**
   * A SHA-256 digest that has already seen the first {@code offset} bytes of the target's part:
   * a resumed download with --verify hashes the bytes of the earlier run as well.
   */
  public static MessageDigest digestOfPrefix(Target target, long offset) throws FileFailure {
    MessageDigest digest = Sha256.newDigest();
    if (offset == 0) {
      return digest;
    }
    Path part = target.part();
    try (var channel = FileChannel.open(part, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      ByteBuffer bb = ByteBuffer.wrap(buffer);
      for (long left = offset; left > 0; ) {
        bb.clear().limit((int) Math.min(buffer.length, left));
        int n = channel.read(bb);
        if (n < 0) {
          throw new EOFException(part + " is shorter than " + offset + " bytes");
        }
        digest.update(buffer, 0, n);
        left -= n;
      }
      return digest;
    } catch (IOException e) {
      throw Failures.local("read " + part, e);
    }
  }
}
