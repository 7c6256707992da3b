package lanfetch.server.files;

import java.io.Closeable;
import java.nio.channels.FileChannel;
import lanfetch.common.Closeables;
import lanfetch.protocol.ErrorMessage;

/**
 * What a requested name is, for a transport that frames its own answers (HTTP): an opened regular
 * file, a directory, or the refusal the lanfetch protocol would answer. Found by {@link
 * RequestHandler#target}, under exactly the rules GET and LIST follow.
 */
public sealed interface Target {
  /**
   * A regular file, opened; whoever holds it closes it (or hands the channel on to whoever sends
   * it).
   *
   * @param name the name as requested
   * @param channel open for reading
   * @param size its size when it was opened
   * @param modifiedMillis its modification time, in milliseconds since the epoch
   * @param identity what tells this file from another one of the same size and time at the same
   *     name (device and inode on Unix): a replaced file gets a new one
   * @param zeroCopy whether the kernel can send from {@code channel} directly
   */
  record File(
      String name,
      FileChannel channel,
      long size,
      long modifiedMillis,
      String identity,
      boolean zeroCopy)
      implements Target, Closeable {
    @Override
    public void close() {
      Closeables.closeQuietly(channel);
    }
  }

  /**
   * A directory; list it with {@link RequestHandler#handle} and a LIST request.
   *
   * @param name the name as requested, "" for the root
   */
  record Directory(String name, long modifiedMillis) implements Target {}

  /** What the lanfetch protocol answers for the name: NOT_FOUND, FORBIDDEN, BUSY... */
  record Refused(ErrorMessage error) implements Target {}
}
