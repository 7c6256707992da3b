package lanfetch.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file opened for serving, with its attributes read right after the open.
 *
 * @param channel open for reading; the caller closes it
 * @param attributes size, modification time and identity at open time
 */
record OpenFile(FileChannel channel, BasicFileAttributes attributes) implements AutoCloseable {
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
