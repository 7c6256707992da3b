package lanfetch.server;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Handles on directories below the root, opened while answering one batch of pipelined
 * requests and kept until the batch ends: a client fetching a tree asks for many files of the
 * same directory in a row, and walking down to it again for each cost two system calls per
 * segment. Each handle was reached from the root's handle without following links (see
 * {@link Confinement#openPlain}); keeping it for the rest of a batch (milliseconds) gives a
 * directory renamed meanwhile no more reach than the open of a single request already does.
 * Not thread-safe: one batch is answered by one thread.
 */
final class DirectoryHandles implements AutoCloseable {
  /** Directories kept at once; a batch rarely spans more, and each holds a descriptor. */
  private static final int MAX_OPEN = 8;

  /** Opens a directory handle for a relative directory name. */
  interface Opener {
    SecureDirectoryStream<Path> open(String directory) throws IOException;
  }

  private final Map<String, SecureDirectoryStream<Path>> open = new LinkedHashMap<>();

  /** The handle for {@code directory}, opened by {@code opener} unless this batch has it. */
  SecureDirectoryStream<Path> get(String directory, Opener opener) throws IOException {
    SecureDirectoryStream<Path> handle = open.get(directory);
    if (handle == null) {
      if (open.size() >= MAX_OPEN) {
        Iterator<SecureDirectoryStream<Path>> eldest = open.values().iterator();
        closeQuietly(eldest.next());
        eldest.remove();
      }
      handle = opener.open(directory);
      open.put(directory, handle);
    }
    return handle;
  }

  @Override
  public void close() {
    open.values().forEach(DirectoryHandles::closeQuietly);
    open.clear();
  }

  private static void closeQuietly(SecureDirectoryStream<Path> handle) {
    try {
      handle.close();
    } catch (IOException ignored) {
      // A directory handle only read from: nothing is lost when its close fails.
    }
  }
}
