package lanfetch.client.landing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import lanfetch.client.Target;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.Sha256;

/**
 * A local copy that is a prefix of the server's grown file (a log that was appended to) becomes the
 * start of the new version's part, so that the download resumes where the copy ends instead of
 * starting over. Proof first: the copy's bytes, read while they are copied into the part, must hash
 * to the digest the server gave for the same prefix (HASH_RANGE). Only then is the sidecar written
 * that lets the transfer resume the part ({@link PartFile#inspect}); a part without one is never
 * resumed, so a crash at any step leaves nothing that could be spliced.
 *
 * <p>The destination itself is only read: it stays whole and readable until the new version
 * replaces it, as any update does.
 */
public final class GrownFile {
  private GrownFile() {}

  /**
   * Seeds the target's part with the first {@code length} bytes of its destination, if they hash to
   * {@code prefixDigest} and no part exists yet.
   *
   * @param size the server's file's size now (more than {@code length})
   * @param modifiedMillis its modification time: the sidecar names this version
   * @return whether the part now holds the proven prefix, ready to resume
   */
  public static boolean seed(
      Target target, long length, byte[] prefixDigest, long size, long modifiedMillis) {
    if (length < PartFile.RESUMABLE_MIN || length >= size) {
      return false;
    }
    FileChannel part;
    try {
      part =
          FileChannel.open(
              target.part(),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ,
              LinkOption.NOFOLLOW_LINKS);
    } catch (FileAlreadyExistsException e) {
      return false; // an earlier run's part: it resumes, or starts over, by the usual rules
    } catch (IOException e) {
      return false;
    }
    try (part) {
      FileLock lock = part.tryLock();
      if (lock == null) {
        return false; // another run opened it the moment it appeared: it is theirs now
      }
      if (copyProven(target, part, length, prefixDigest)) {
        part.force(false);
        PartFile.writeMeta(target.meta(), new GetHeader(size, 0, size, modifiedMillis));
        return true;
      }
      Files.deleteIfExists(target.part()); // ours, and held: nothing to resume from
      return false;
    } catch (IOException | OverlappingFileLockException e) {
      try {
        Files.deleteIfExists(target.meta());
      } catch (IOException ignored) {
        // Without its sidecar the part is never resumed.
      }
      return false;
    }
  }

  /** Copies the destination's first {@code length} bytes into the part, hashing them on the way. */
  private static boolean copyProven(
      Target target, FileChannel part, long length, byte[] prefixDigest) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (var in =
        FileChannel.open(
            target.destination(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
      for (long at = 0; at < length; ) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), length - at));
        int n = in.read(buffer, at);
        if (n < 0) {
          return false; // the copy shrank meanwhile
        }
        buffer.flip();
        digest.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
          part.write(buffer, at + buffer.position());
        }
        at += n;
      }
    }
    return Arrays.equals(digest.digest(), prefixDigest);
  }
}
