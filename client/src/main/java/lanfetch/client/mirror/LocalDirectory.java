package lanfetch.client.mirror;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One open directory, whose entries are read, opened and removed by name, never through a symbolic
 * link. On systems with {@link SecureDirectoryStream} (Linux) every operation is relative to the
 * open directory's handle ({@code openat}, {@code unlinkat} with {@code AT_SYMLINK_NOFOLLOW}): a
 * directory swapped for a link after it was checked still cannot lead a removal outside the tree.
 * Elsewhere, paths are checked with {@code lstat} right before each step.
 */
abstract sealed class LocalDirectory implements Closeable {
  final Path path;

  private LocalDirectory(Path path) {
    this.path = path;
  }

  /** Opens {@code dir}, which must be a directory and not a link. */
  static LocalDirectory open(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
          ? new NotDirectoryException(dir.toString())
          : new NoSuchFileException(dir.toString());
    }
    DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return new Secure(dir, secure);
    }
    stream.close();
    return new Plain(dir);
  }

  /** The names in this directory, read at once (so removing them does not disturb the reading). */
  abstract List<Path> names() throws IOException;

  /** An entry's own attributes (a link's, not its target's), or null if it is gone. */
  abstract BasicFileAttributes attributes(Path name) throws IOException;

  /** Opens a subdirectory, refusing a link. */
  abstract LocalDirectory openChild(Path name) throws IOException;

  /** Removes a file or a link (never what it leads to). */
  abstract void deleteFile(Path name) throws IOException;

  /** Removes an empty directory. */
  abstract void deleteDirectory(Path name) throws IOException;

  /** Opens a file for writing, not following a link: for its lock. */
  abstract FileChannel channel(Path name) throws IOException;

  Path resolve(Path name) {
    return path.resolve(name.toString());
  }

  private static final class Secure extends LocalDirectory {
    private final SecureDirectoryStream<Path> stream;

    Secure(Path path, SecureDirectoryStream<Path> stream) {
      super(path);
      this.stream = stream;
    }

    @Override
    List<Path> names() {
      var names = new ArrayList<Path>();
      for (Path p : stream) {
        names.add(p.getFileName());
      }
      return names;
    }

    @Override
    BasicFileAttributes attributes(Path name) {
      try {
        return stream
            .getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    LocalDirectory openChild(Path name) throws IOException {
      return new Secure(resolve(name), stream.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    void deleteFile(Path name) throws IOException {
      stream.deleteFile(name);
    }

    @Override
    void deleteDirectory(Path name) throws IOException {
      stream.deleteDirectory(name);
    }

    @Override
    FileChannel channel(Path name) throws IOException {
      var channel =
          stream.newByteChannel(name, Set.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
      if (channel instanceof FileChannel f) {
        return f;
      }
      channel.close();
      return FileChannel.open(resolve(name), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private static final class Plain extends LocalDirectory {
    Plain(Path path) {
      super(path);
    }

    @Override
    List<Path> names() throws IOException {
      var names = new ArrayList<Path>();
      try (var stream = Files.newDirectoryStream(path)) {
        for (Path p : stream) {
          names.add(p.getFileName());
        }
      }
      return names;
    }

    @Override
    BasicFileAttributes attributes(Path name) {
      try {
        return Files.readAttributes(
            resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    LocalDirectory openChild(Path name) throws IOException {
      return LocalDirectory.open(resolve(name));
    }

    @Override
    void deleteFile(Path name) throws IOException {
      Path p = resolve(name);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(p + " became a directory");
      }
      Files.delete(p);
    }

    @Override
    void deleteDirectory(Path name) throws IOException {
      Path p = resolve(name);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new NotDirectoryException(p.toString());
      }
      Files.delete(p);
    }

    @Override
    FileChannel channel(Path name) throws IOException {
      return FileChannel.open(resolve(name), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() {}
  }
}
