package lanfetch.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test files. */
public final class TestFiles {
  private TestFiles() {}

  /** A sparse file of {@code size} bytes: large on paper, nothing on disk. */
  public static Path sparse(Path p, long size) throws IOException {
    try (var ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
    }
    return p;
  }
}
