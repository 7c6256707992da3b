package lanfetch.client.landing;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;

/**
 * A part file this run owns: open, and locked with an OS file lock ({@link FileChannel#tryLock})
 * from before its first byte is written until after it has its final name or is given up. Closing
 * the channel, on every path, releases the lock; so does the end of the process, even by {@code
 * kill -9}.
 *
 * <p>Two runs on the same destination meet here: only the holder of the lock may truncate, write,
 * rename or delete the part. A run that finds it locked leaves it alone and fails that file with
 * {@link FailureCode#IN_USE}.
 *
 * <p>Holding a lock on an open file is not yet owning the part <em>name</em>: between the open and
 * the lock another run may have given the file its final name and removed the part name, so that
 * the locked file is now the other run's finished download. {@link #identify} checks the name still
 * leads to the locked file, and records the file's identity ({@code fileKey}, device and inode)
 * that the commit compares the final name against.
 */
public final class OwnedPart implements AutoCloseable {
  private final Target target;
  private final FileChannel channel;
  private final Object fileKey;

  /** Its size when it was claimed, read with its identity: spares the channel a second fstat. */
  private final long claimedSize;

  // ---- write-behind: guarded by behindLock ----
  private enum Behind {
    IDLE,
    QUEUED,
    RUNNING
  }

  private final Object behindLock = new Object();
  private Behind behind = Behind.IDLE;

  /** The first failure of a write-behind force, for the final {@link #force} to report. */
  private IOException behindFailure;

  /** Set once the disk fell behind the network: write-behind only added flushes from then on. */
  private boolean behindGivenUp;

  private OwnedPart(Target target, FileChannel channel, BasicFileAttributes claimed) {
    this.target = target;
    this.channel = channel;
    this.fileKey =
        Objects.requireNonNull(claimed.fileKey(), "the file system gives no file identity");
    this.claimedSize = claimed.size();
  }

  /** Read and write, created if missing, never truncated, never through a symbolic link. */
  private static final Set<OpenOption> OPEN =
      Set.of(
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          StandardOpenOption.CREATE,
          LinkOption.NOFOLLOW_LINKS);

  /**
   * Opens the target's part, creating it if missing but never truncating it, and locks it.
   *
   * @return the owned part, or null when the part name no longer leads to the file locked (the
   *     caller opens it again)
   * @throws FileFailure IN_USE when another process holds the lock
   */
  static OwnedPart acquire(Target target) throws IOException {
    var channel = FileChannel.open(target.part(), OPEN);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this very process holds it: two jobs of one run, never one file
      }
      if (lock == null) {
        throw inUse(target);
      }
      BasicFileAttributes claimed = identify(target.part(), channel);
      if (claimed == null) {
        channel.close();
        return null;
      }
      return new OwnedPart(target, channel, claimed);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The failure of a file whose part another lanfetch holds. */
  static FileFailure inUse(Target target) {
    return new FileFailure(
        FailureCode.IN_USE,
        "another lanfetch is downloading this file (it holds "
            + target.part().getFileName()
            + "); left to it");
  }

  /**
   * The attributes, with the identity, of the file {@code path} names, if it can be the file {@code
   * locked} is open on; else null.
   *
   * <p>Java has no {@code fstat} that gives a channel's file identity, and a second channel on the
   * path to compare through would cost the lock: closing any descriptor of a file drops the POSIX
   * locks this process holds on it. So the path's identity is read once, with the lock held (from
   * then on only this run renames or removes the name), and checked against what the channel can
   * say, its size. The run that removed the name from under us did so after finishing the file (its
   * size is then the file's full size, while a name created since leads to an empty or growing
   * part) or after giving it up (the name is then missing).
   */
  private static BasicFileAttributes identify(Path path, FileChannel locked) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    return a.isRegularFile() && a.size() == locked.size() ? a : null;
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Whether {@code path} names this very file (a hard link or rename of it), whose size the caller
   * knows to be {@code size}: the claimed size, or the announced size of a complete part.
   */
  boolean isNamedBy(Path path, long size) {
    try {
      var a = attributes(path);
      return fileKey.equals(a.fileKey()) && a.size() == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** The part's size when this run claimed it. */
  long claimedSize() {
    return claimedSize;
  }

  public Target target() {
    return target;
  }

  /** The part, open for reading and writing. */
  public FileChannel channel() {
    return channel;
  }

  /**
   * Starts writing back what the part holds so far on {@code executor}: a large file's final {@link
   * #force} then finds little left to write. Called at regular steps of the body; if the previous
   * write-behind has not ended by the next step, the disk is slower than the network, writing back
   * early only adds flushes, and there is none more for this part. A failure is kept for the final
   * force, because Linux reports a write-back error to one fsync only.
   */
  void forceBehind(Executor executor) {
    synchronized (behindLock) {
      if (behind != Behind.IDLE) {
        behindGivenUp = true;
      }
      if (behindGivenUp) {
        return;
      }
      behind = Behind.QUEUED;
    }
    try {
      executor.execute(this::runBehind);
    } catch (RejectedExecutionException e) {
      synchronized (behindLock) {
        behind = Behind.IDLE; // no write-behind: the final force does it all
      }
    }
  }

  private void runBehind() {
    synchronized (behindLock) {
      if (behind != Behind.QUEUED) {
        return; // the final force came first and does its work
      }
      behind = Behind.RUNNING;
    }
    IOException failure = null;
    try {
      channel.force(false);
    } catch (ClosedChannelException e) {
      // Given up meanwhile: nobody will place it.
    } catch (IOException e) {
      failure = e;
    }
    synchronized (behindLock) {
      if (behindFailure == null) {
        behindFailure = failure;
      }
      behind = Behind.IDLE;
      behindLock.notifyAll();
    }
  }

  /**
   * Makes the part durable: fdatasync, its data and size, all a reader of the file needs. Fails
   * also if a write-behind force failed. A write-behind still queued is dropped, one running is
   * waited for: the final force never waits for a thread that waits for it in turn.
   */
  void force() throws IOException {
    IOException earlier;
    boolean interrupted = false;
    synchronized (behindLock) {
      if (behind == Behind.QUEUED) {
        behind = Behind.IDLE;
      }
      while (behind == Behind.RUNNING) {
        try {
          behindLock.wait();
        } catch (InterruptedException e) {
          interrupted = true; // a force under way ends by itself: wait for its outcome
        }
      }
      earlier = behindFailure;
    }
    try {
      channel.force(false);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // after the force: an interrupt would close the part
      }
    }
    if (earlier != null) {
      throw earlier;
    }
  }

  /** Closes the part, which releases the lock. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
