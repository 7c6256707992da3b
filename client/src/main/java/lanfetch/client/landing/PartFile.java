package lanfetch.client.landing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.Executor;
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
 * sidecar {@code .[接收]name.part.meta} records the server's size and mtime, and is written and
 * synced <em>before</em> the first byte of the part: whenever a part exists after a crash or {@code
 * kill -9}, its sidecar already says which version of the file it holds. A part without a readable
 * sidecar is never resumed, so a changed file can never be spliced onto an old prefix. Smaller
 * files just start over, which costs less than the sidecar.
 *
 * <p>A part is truncated, written, renamed or removed only by the run that holds its lock ({@link
 * OwnedPart}, taken in {@link #claim}, released by {@link #commit} or on failure): two runs on the
 * same destination never write into one file, and the final name goes only to the file the run
 * wrote, checked by its identity after the link.
 */
public final class PartFile {
  private PartFile() {}

  /** Files smaller than this restart from zero instead of resuming. */
  public static final long RESUMABLE_MIN = 256 * 1024;

  private static final String META_MAGIC = "lanfetch-part 1";
  private static final Set<OpenOption> TRUNCATE =
      Set.of(
          StandardOpenOption.WRITE,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);

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
   * Where the target's download may start: after the bytes of an existing part whose sidecar names
   * the server's version, or at zero. Starting over deletes nothing yet: {@link #claim} empties the
   * part once this run owns it, in an order that is safe at every step.
   *
   * @throws FileFailure IN_USE if another lanfetch holds the part now: no request is sent, so no
   *     body comes only to be thrown away (the lock taken before writing decides in the end)
   */
  public static Resume inspect(Target target, boolean resume) throws FileFailure {
    try {
      if (dropLeftover(target)) {
        return Resume.FRESH_START;
      }
      if (!Files.isRegularFile(target.part(), LinkOption.NOFOLLOW_LINKS)) {
        return Resume.FRESH_START;
      }
      refuseIfHeld(target);
      if (resume) {
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

  /** Fails with IN_USE if another process holds the lock of the target's existing part. */
  private static void refuseIfHeld(Target target) throws IOException {
    try (var channel =
        FileChannel.open(target.part(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw OwnedPart.inUse(target);
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw OwnedPart.inUse(target);
    } catch (NoSuchFileException e) {
      // Its owner finished meanwhile.
    }
  }

  /**
   * Removes a part that is another name of the destination, with its sidecar. A complete file gets
   * its final name by a hard link before its part name is removed; a crash between the two leaves
   * such a part. Resuming into it, or truncating it, would write into the destination in place. The
   * destination itself stays as it is. A run that is between those two steps right now holds the
   * part's lock: its part is left to it.
   *
   * @return whether there was one
   */
  public static boolean dropLeftover(Target target) throws IOException {
    if (!isSameFile(target.part(), target.destination())) {
      return false;
    }
    try (var channel =
        FileChannel.open(target.part(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw OwnedPart.inUse(target);
      }
      if (isSameFile(target.part(), target.destination())) {
        discard(target);
      }
    } catch (OverlappingFileLockException e) {
      throw OwnedPart.inUse(target);
    } catch (NoSuchFileException e) {
      return false; // its owner finished meanwhile
    }
    return true;
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false; // one of them missing or unreadable: not one file
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

  /** Attempts at owning a part whose name keeps leading to another file than the one locked. */
  private static final int CLAIM_ATTEMPTS = 3;

  /**
   * Takes ownership of the target's part ({@link OwnedPart}) and readies it for the body announced
   * by {@code header}, positioned at its offset.
   *
   * <p>Nothing is truncated or deleted before the lock is held and the part name is known to lead
   * to the locked file. Starting over, the part is emptied before the new sidecar is written, so a
   * crash between any two steps never leaves a sidecar vouching for bytes of another version (a
   * sidecar beside an empty part vouches for nothing). A part that is another name of the
   * destination (see {@link #dropLeftover}) is removed, never truncated.
   *
   * @return the owned part, or null if the part no longer holds the bytes the request resumed after
   *     (another run changed it meanwhile): the caller starts over
   * @throws FileFailure IN_USE when another lanfetch holds the part
   */
  public static OwnedPart claim(Target target, GetHeader header, boolean metaMayExist)
      throws FileFailure {
    try {
      for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        OwnedPart owned = OwnedPart.acquire(target);
        if (owned == null) {
          continue; // the name was given to another file meanwhile: open it again
        }
        boolean keep = false;
        try {
          keep = ready(owned, header, metaMayExist);
          if (keep) {
            return owned;
          }
          if (header.offset() > 0) {
            return null;
          }
        } finally {
          if (!keep) {
            owned.close();
          }
        }
      }
      throw OwnedPart.inUse(target);
    } catch (IOException e) {
      throw Failures.local("create " + target.part(), e);
    }
  }

  /** Positions an owned part for the body; false if it cannot take it (see {@link #claim}). */
  private static boolean ready(OwnedPart owned, GetHeader header, boolean metaMayExist)
      throws IOException {
    Target target = owned.target();
    FileChannel channel = owned.channel();
    long size = owned.claimedSize();
    if (header.offset() > 0) {
      Resume now = readMeta(target.meta(), size);
      if (size != header.offset()
          || now == null
          || now.size() != header.size()
          || now.modifiedMillis() != header.modifiedMillis()) {
        return false;
      }
      channel.position(header.offset());
      return true;
    }
    if (size > 0) {
      if (owned.isNamedBy(target.destination(), size)) {
        discard(target); // a crash's leftover: the destination's other name; ours to remove
        return false;
      }
      channel.truncate(0);
    }
    if (header.size() >= RESUMABLE_MIN) {
      writeMeta(target.meta(), header);
    } else if (metaMayExist) {
      Files.deleteIfExists(target.meta());
    }
    return true;
  }

  static void writeMeta(Path meta, GetHeader header) throws IOException {
    byte[] text =
        (META_MAGIC + "\n" + header.size() + " " + header.modifiedMillis() + "\n")
            .getBytes(StandardCharsets.UTF_8);
    try (var channel = FileChannel.open(meta, TRUNCATE)) {
      channel.write(ByteBuffer.wrap(text));
      channel.force(false); // fdatasync: data and size, all a reader of the file needs
    }
  }

  /** Deletes the part and its sidecar (never following links). */
  public static void discard(Target target) throws IOException {
    Files.deleteIfExists(target.part());
    Files.deleteIfExists(target.meta());
  }

  /**
   * The {@code modifiedMillis} of {@link #commit} that keeps the time the file landed ({@code
   * --no-times}): it then cannot pass for the server's version on a later run.
   */
  public static final long LANDING_TIME = Long.MIN_VALUE;

  /** How a commit ended. */
  public enum Landed {
    /** The part has the final name. */
    PLACED,
    /** The destination already holds the server's version (its size and mtime); the part went. */
    UNCHANGED,
    /** The destination exists and the policy says to skip; the part stays for a later run. */
    SKIPPED
  }

  /**
   * Syncs a complete part ({@link #sync}), then gives it its final name ({@link #place}). On
   * failure the part stays for a later run.
   *
   * @throws FileFailure EXISTS if the destination exists, differs, and the policy is ERROR
   */
  public static Landed commit(
      OwnedPart owned, long size, long modifiedMillis, ExistingPolicy policy) throws FileFailure {
    try {
      sync(owned);
    } catch (FileFailure f) {
      release(owned);
      throw f;
    }
    return place(owned, size, modifiedMillis, policy);
  }

  /**
   * Makes a complete part durable, data and size (fdatasync), before it may get its final name. A
   * failure of a write-behind force of the same part fails it too. The part stays owned.
   *
   * @throws FileFailure naming the part and the cause, in one line
   */
  public static void sync(OwnedPart owned) throws FileFailure {
    try {
      owned.force();
    } catch (IOException e) {
      throw Failures.local("sync " + owned.target().part(), e);
    }
  }

  /**
   * Starts writing back the bytes a part holds so far, on {@code executor}, while more arrive: the
   * {@link #sync} at the end of a large file then has little left to do. Called at regular steps of
   * a body; at most one runs per part, and none more once one outlasts a step (the disk is slower
   * than the network: the final sync has everything to write in any case).
   */
  public static void syncBehind(OwnedPart owned, Executor executor) {
    owned.forceBehind(executor);
  }

  /** Gives a part up without placing it: the lock goes, the part stays for a later run. */
  public static void release(OwnedPart owned) {
    try {
      owned.close();
    } catch (IOException e) {
      // Closing only releases the lock: it does not fail.
    }
  }

  /**
   * Moves a complete part that {@link #sync} made durable atomically to its final name, honouring
   * the policy for an existing destination, gives it the server's mtime, then releases it. The
   * final name is checked to lead to the very file this run wrote; if it does not (another program
   * replaced the part name meanwhile), the name is taken back. On failure the part stays for a
   * later run.
   *
   * @param modifiedMillis the server's mtime: the file gets it, which is how a later run knows the
   *     destination for the server's version ({@link #isServersVersion})
   * @throws FileFailure EXISTS if the destination exists, differs, and the policy is ERROR
   */
  public static Landed place(OwnedPart owned, long size, long modifiedMillis, ExistingPolicy policy)
      throws FileFailure {
    Target target = owned.target();
    try (owned) {
      try {
        return placeOwned(owned, size, modifiedMillis, policy);
      } catch (IOException e) {
        throw Failures.local(
            "rename " + target.part() + " to " + target.destination().getFileName(), e);
      }
    } catch (IOException e) {
      throw Failures.local("close " + target.part(), e); // closing only releases: never happens
    }
  }

  private static Landed placeOwned(
      OwnedPart owned, long size, long modifiedMillis, ExistingPolicy policy) throws IOException {
    Target target = owned.target();
    Boolean linked = false;
    if (policy == ExistingPolicy.OVERWRITE) {
      if (!owned.isNamedBy(target.part(), size)) {
        throw replaced(target); // before the rename: it would destroy the file it replaces
      }
      // Whether an atomic move replaces an existing target is up to the file system unless
      // asked: POSIX rename does, jimfs and others refuse without REPLACE_EXISTING.
      Files.move(
          target.part(),
          target.destination(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } else if ((linked = placeWithoutReplacing(target)) == null) {
      if (isServersVersion(target.destination(), size, modifiedMillis)) {
        discard(target);
        return Landed.UNCHANGED;
      }
      if (policy == ExistingPolicy.SKIP) {
        return Landed.SKIPPED;
      }
      throw existsFailure(target);
    }
    if (!owned.isNamedBy(target.destination(), size)) {
      takeBack(target, linked);
      throw replaced(target);
    }
    if (linked) {
      try {
        Files.delete(target.part()); // the destination's other name, still ours: we hold it
      } catch (IOException e) {
        // The file is complete under its final name; what is left is another name for it.
      }
    }
    if (size >= RESUMABLE_MIN) {
      Files.deleteIfExists(target.meta()); // small files never have one: see ready()
    }
    if (modifiedMillis != LANDING_TIME) {
      giveServersMtime(target, modifiedMillis); // last: it drops the lock
    }
    return Landed.PLACED;
  }

  /**
   * Gives the landed file the server's mtime, by which a later run knows it for the server's
   * version. Only now: Java sets times through a descriptor of its own, whose close drops this
   * process's lock on the file; with the part name gone, no other run can reach the file to take
   * it. A failure leaves the landing time, and a later run reports a clash, not a false
   * "unchanged".
   */
  private static void giveServersMtime(Target target, long modifiedMillis) {
    try {
      // Both times given: with the access time left out, Java reads the file's to keep it.
      // Links followed: not following costs an lstat, and the name was just checked to be ours.
      Files.getFileAttributeView(target.destination(), BasicFileAttributeView.class)
          .setTimes(
              FileTime.fromMillis(modifiedMillis),
              FileTime.fromMillis(System.currentTimeMillis()),
              null);
    } catch (IOException e) {
      // The file is whole under its final name; only the re-run shortcut is lost for it.
    }
  }

  private static FileFailure replaced(Target target) {
    return new FileFailure(
        FailureCode.LOCAL_IO,
        "the part "
            + target.part().getFileName()
            + " was replaced by another program while this run wrote it; not kept");
  }

  /**
   * Gives back a final name that leads to another file than ours: it was never this run's. A hard
   * link this run made is removed (the file keeps its part name); a file this run renamed goes back
   * to the part name.
   */
  private static void takeBack(Target target, boolean linked) throws IOException {
    if (linked) {
      Files.delete(target.destination());
      return;
    }
    try {
      Files.move(target.destination(), target.part()); // never replaces: the part may be back
    } catch (FileAlreadyExistsException e) {
      Files.delete(target.destination());
    }
  }

  /**
   * Whether {@code file} is what the server has: a regular file of the server's size whose mtime is
   * the server's, as every file lanfetch lands gets ({@link #commit}).
   */
  public static boolean isServersVersion(Path file, long size, long modifiedMillis) {
    try {
      var a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile()
          && a.size() == size
          && a.lastModifiedTime().toMillis() == modifiedMillis;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Gives the part its final name unless that name exists, as one atomic step: a hard link, which
   * never replaces anything (a symbolic link at the destination included), then the part name goes.
   * Checking first and renaming after would leave a moment in which a file created meanwhile is
   * silently replaced, and costs a failing lstat, which Java reports by building an exception: a
   * measurable share of each small file. File systems without hard links (FAT, some network shares)
   * take the check-and-rename path.
   *
   * <p>A crash between the two steps leaves the complete, synced file under its final name and the
   * same file under the part name; nothing incomplete ever has the final name.
   *
   * @return null if the destination exists; else whether the part name is still there, as another
   *     name of the destination, for the caller to remove once it has checked the link
   */
  private static Boolean placeWithoutReplacing(Target target) throws IOException {
    try {
      Files.createLink(target.destination(), target.part());
      return true;
    } catch (FileAlreadyExistsException e) {
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      if (exists(target.destination())) {
        return null;
      }
      Files.move(target.part(), target.destination(), StandardCopyOption.ATOMIC_MOVE);
      return false;
    }
  }

  public static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  public static FileFailure existsFailure(Target target) {
    String kind =
        Files.isSymbolicLink(target.destination()) ? " (a symbolic link, not followed)" : "";
    return new FileFailure(
        FailureCode.EXISTS,
        target.destination() + " already exists" + kind + "; use --overwrite or --skip-existing");
  }

  /**
   * Creates the directories from the output directory down to {@code dir}, refusing to pass through
   * symbolic links. The output directory itself is never recreated: if it vanished during the run,
   * that is an error.
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
      throw new AccessDeniedException(
          dir.toString(), null, "a symbolic link where a directory belongs; not followed");
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
   * A SHA-256 digest that has already seen the first {@code offset} bytes of the owned part: a
   * resumed download with --verify hashes the bytes of the earlier run as well. Read through the
   * part's own channel: opening and closing another descriptor of the file would drop the lock this
   * process holds on it.
   */
  public static MessageDigest digestOfPrefix(OwnedPart owned, long offset) throws FileFailure {
    MessageDigest digest = Sha256.newDigest();
    if (offset == 0) {
      return digest;
    }
    FileChannel channel = owned.channel();
    try {
      byte[] buffer = new byte[64 * 1024];
      ByteBuffer bb = ByteBuffer.wrap(buffer);
      for (long at = 0; at < offset; ) {
        bb.clear().limit((int) Math.min(buffer.length, offset - at));
        int n = channel.read(bb, at);
        if (n < 0) {
          throw new EOFException(owned.target().part() + " is shorter than " + offset + " bytes");
        }
        digest.update(buffer, 0, n);
        at += n;
      }
      return digest;
    } catch (IOException e) {
      throw Failures.local("read " + owned.target().part(), e);
    }
  }
}
