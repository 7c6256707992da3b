package lanfetch.server.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import lanfetch.protocol.Sha256;

/**
 * SHA-256 of files, streamed through a small buffer and remembered by real path, identity, size and
 * modification time: scripts that HASH before every GET do not make the server read each file
 * twice. A file whose size or time changes is hashed afresh.
 *
 * <p>Requests for the same file at the same time share one computation: sixteen clients asking for
 * the hash of one big file cost one read of it, not sixteen. A computation stops early when the
 * connection that started it is gone and no other request waits for it.
 */
final class HashCache {
  private static final int MAX_ENTRIES = 4096;
  private static final int BUFFER = 64 * 1024;

  private record Key(String path, Object fileKey, long size, long modifiedMillis) {}

  /** A computation in progress and how many requests besides its own wait for it. */
  private static final class Running {
    final CompletableFuture<byte[]> digest = new CompletableFuture<>();
    int waiters;
  }

  private final Map<Key, byte[]> digests =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
          return size() > MAX_ENTRIES;
        }
      };
  private final Map<Key, Running> running = new HashMap<>();

  /**
   * The digest of {@code file}'s first {@code size} bytes, from the cache, from a computation
   * already running, or computed here.
   *
   * @param wanted whether the requesting connection still wants the answer; checked between buffers
   * @throws ConnectionLostException if the requester is gone and no one else waited
   */
  byte[] digest(
      Resolved r, FileChannel file, long size, long modifiedMillis, BooleanSupplier wanted)
      throws IOException {
    var key = new Key(r.real().toString(), r.attributes().fileKey(), size, modifiedMillis);
    Running mine;
    Running theirs;
    synchronized (digests) {
      byte[] known = digests.get(key);
      if (known != null) {
        return known.clone();
      }
      theirs = running.get(key);
      if (theirs != null) {
        theirs.waiters++;
      }
      mine = theirs == null ? new Running() : null;
      if (mine != null) {
        running.put(key, mine);
      }
    }
    return theirs != null ? join(theirs) : computeShared(key, mine, file, size, wanted);
  }

  private byte[] computeShared(
      Key key, Running mine, FileChannel file, long size, BooleanSupplier wanted)
      throws IOException {
    try {
      byte[] digest = compute(file, size, () -> wanted.getAsBoolean() || waiters(mine) > 0);
      synchronized (digests) {
        digests.put(key, digest.clone());
      }
      mine.digest.complete(digest.clone());
      return digest;
    } catch (IOException | RuntimeException | Error e) {
      mine.digest.completeExceptionally(e);
      throw e;
    } finally {
      synchronized (digests) {
        running.remove(key);
      }
    }
  }

  private int waiters(Running r) {
    synchronized (digests) {
      return r.waiters;
    }
  }

  private byte[] join(Running r) throws IOException {
    try {
      return r.digest.get().clone();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a hash");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      throw new IOException("hashing failed: " + e.getCause(), e.getCause());
    } finally {
      synchronized (digests) {
        r.waiters--;
      }
    }
  }

  private static byte[] compute(FileChannel file, long size, BooleanSupplier wanted)
      throws IOException {
    return compute(file, 0, size, wanted);
  }

  /**
   * The digest of {@code length} bytes of {@code file} from {@code offset}, not remembered:
   * HASH_RANGE of a range that does not start the file (one that does is a prefix, see {@link
   * #digest}).
   */
  static byte[] compute(FileChannel file, long offset, long length, BooleanSupplier wanted)
      throws IOException {
    MessageDigest sha = Sha256.newDigest();
    var buf = ByteBuffer.allocate(BUFFER);
    long pos = offset;
    long size = offset + length;
    while (pos < size) {
      if (!wanted.getAsBoolean()) {
        throw new ConnectionLostException(
            "hashing abandoned after "
                + pos
                + " of "
                + size
                + " bytes: the client is gone and no one else waits for it");
      }
      buf.clear().limit((int) Math.min(BUFFER, size - pos));
      int n = file.read(buf, pos);
      if (n < 0) {
        throw new IOException("file shrank to " + pos + " bytes while being hashed");
      }
      pos += n;
      sha.update(buf.flip());
    }
    return sha.digest();
  }
}
