package lanfetch.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SHA-256 of files, streamed through a small buffer and remembered by real path, identity,
 * size and modification time: scripts that HASH before every GET do not make the server read
 * each file twice. A file whose size or time changes is hashed afresh.
 */
final class HashCache {
  private static final int MAX_ENTRIES = 4096;
  private static final int BUFFER = 64 * 1024;

  private record Key(String path, Object fileKey, long size, long modifiedMillis) {}

  private final Map<Key, byte[]> digests = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** The digest of {@code file}'s first {@code size} bytes, from the cache or computed. */
  byte[] digest(Resolved r, FileChannel file, long size, long modifiedMillis) throws IOException {
    var key = new Key(r.real().toString(), r.attributes().fileKey(), size, modifiedMillis);
    synchronized (digests) {
      byte[] known = digests.get(key);
      if (known != null) {
        return known.clone();
      }
    }
    byte[] digest = compute(file, size);
    synchronized (digests) {
      digests.put(key, digest.clone());
    }
    return digest;
  }

  private static byte[] compute(FileChannel file, long size) throws IOException {
    MessageDigest sha = sha256();
    var buf = ByteBuffer.allocate(BUFFER);
    long pos = 0;
    while (pos < size) {
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
