package lanfetch.server.files;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Handles on directories below the root, kept between requests and proven again at every use.
 *
 * <p>Walking to a file's directory afresh for each GET cost seven system calls per level (openat,
 * dup, fdopendir's fstat and fcntls, two closes). A kept handle costs one: reaching {@code a/b},
 * the entry {@code a} is stat'ed through the root's handle without following links, and must be a
 * directory with the device, inode and permission bits of the kept handle on {@code a}; then {@code
 * b} is stat'ed through that handle and compared with the kept one on {@code b}; the file is opened
 * through the last. Each handle is thus used only once it is proven to be the directory that stands
 * at its name at that moment, from the root down: the guarantee of a fresh walk. A kept handle pins
 * its inode, so no other directory can take its device and inode while it is kept.
 *
 * <p>A directory moved out of the root, renamed (hidden or not), replaced by a link or by another
 * directory of the same name, or whose permission bits changed, fails its proof: its handle is
 * dropped, and the walk opens that level afresh from the handle just proven above it, as a walk
 * without this cache would. The search permission of every level is checked by the kernel at each
 * use, as it is for any lookup. What is not looked at again is the read permission of a directory
 * that was opened while it had it, when it changes without its permission bits changing (a new
 * owner or group, an ACL): the file is then served as a path lookup by the server's user would
 * reach it (search on each directory, read on the file), where a fresh walk, which opens each
 * directory for reading, refuses. The owner is not compared because Java reads it by name, a passwd
 * lookup of a dozen system calls.
 *
 * <p>At most {@link #CAPACITY} handles are kept, the least recently used dropped first, and none
 * longer than about twice {@link #IDLE_MILLIS} after its last use: a quiet server holds no
 * directory below its root, so a file system mounted there can be unmounted. A handle in use by a
 * request is closed once that request is done with it. Safe for many threads at once. {@link
 * #close()} closes every handle (those in use when their request is done) and keeps no more.
 */
final class DirectoryCache implements AutoCloseable {
  /** Directories kept at once; each holds two file descriptors and a directory buffer. */
  static final int CAPACITY = 32;

  /** How long a kept handle may go unused before the sweeper closes it. */
  static final long IDLE_MILLIS = 2000;

  /** Closes handles gone unused; one thread for every cache, only scheduled while one keeps any. */
  private static final ScheduledExecutorService SWEEPER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "lanfetch-directory-sweeper");
            t.setDaemon(true);
            return t;
          });

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * A kept handle. {@code pins}, {@code retired} and {@code lastUsed} are written under the cache's
   * lock: a retired node is no longer in the map, and is closed when its last pin goes.
   */
  private static final class Node {
    final String key;
    final SecureDirectoryStream<Path> handle;
    final Identity identity;
    int pins = 1;
    boolean retired;
    long lastUsed = System.nanoTime();

    Node(String key, SecureDirectoryStream<Path> handle, Identity identity) {
      this.key = key;
      this.handle = handle;
      this.identity = identity;
    }
  }

  /**
   * What a fresh open of a directory depends on, as far as one stat shows it: which directory it is
   * and its permission bits.
   */
  private record Identity(Object fileKey, Set<PosixFilePermission> permissions) {
    /** Null unless {@code a} is a directory (not a link) with a file key. */
    static Identity of(PosixFileAttributes a) {
      return a != null && a.isDirectory() && a.fileKey() != null
          ? new Identity(a.fileKey(), a.permissions())
          : null;
    }

    // Written out: the generated equals goes through an invokedynamic call site that showed in the
    // profile of every GET.
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i
          && fileKey.equals(i.fileKey)
          && permissions.equals(i.permissions);
    }

    @Override
    public int hashCode() {
      return 31 * fileKey.hashCode() + permissions.hashCode();
    }
  }

  /** Handles pinned for one request, the last one on the requested file's directory. */
  final class Lease implements AutoCloseable {
    private final List<Node> nodes;

    private Lease(int depth) {
      nodes = new ArrayList<>(depth);
    }

    /** The handle on the directory reached. */
    SecureDirectoryStream<Path> handle() {
      return nodes.get(nodes.size() - 1).handle;
    }

    @Override
    public void close() {
      for (Node n : nodes) {
        release(n);
      }
      nodes.clear();
    }
  }

  private final int capacity;
  private final long idleNanos;

  /** By relative directory name, least recently used first; guarded by {@code this}. */
  private final LinkedHashMap<String, Node> nodes = new LinkedHashMap<>(16, 0.75f, true);

  private boolean closed;
  private boolean sweepScheduled;

  DirectoryCache(int capacity, long idleMillis) {
    if (capacity < 0 || idleMillis <= 0) {
      throw new IllegalArgumentException(
          "capacity must not be negative and idle time positive: " + capacity + ", " + idleMillis);
    }
    this.capacity = capacity;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
  }

  /**
   * A handle on the directory holding the file {@code name}, reached from {@code root} one segment
   * at a time, never through a link: each level a kept handle proven to stand at its name, or
   * opened afresh. The caller closes the lease.
   *
   * @param root the handle on {@code realRoot}, kept by the caller
   * @param name a checked name of at least two segments
   * @param segments its segments
   * @throws IOException if a level is missing, not a directory, a link, not accessible, or changed
   *     while it was opened
   */
  Lease walk(SecureDirectoryStream<Path> root, Path realRoot, String name, List<String> segments)
      throws IOException {
    FileSystem fs = realRoot.getFileSystem();
    var lease = new Lease(segments.size() - 1);
    try {
      SecureDirectoryStream<Path> dir = root;
      int end = -1;
      for (int i = 0; i < segments.size() - 1; i++) {
        end = name.indexOf('/', end + 1);
        String key = name.substring(0, end);
        Path segment = fs.getPath(segments.get(i));
        Node n = proven(key, dir, segment);
        if (n == null) {
          n = opened(key, dir, segment, realRoot.resolve(key));
        }
        lease.nodes.add(n);
        dir = n.handle;
      }
      return lease;
    } catch (IOException | RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** The kept handle for {@code key}, pinned, if it is the directory {@code segment} of dir now. */
  private Node proven(String key, SecureDirectoryStream<Path> dir, Path segment) {
    Node n = acquire(key);
    if (n == null) {
      return null;
    }
    Identity now;
    try {
      now = Identity.of(stat(dir, segment));
    } catch (IOException e) {
      now = null; // gone or not accessible: the fresh open says which
    }
    if (!n.identity.equals(now)) {
      retire(n);
      release(n);
      return null;
    }
    return n;
  }

  /**
   * Opens {@code segment} of {@code dir} afresh, as a walk without this cache does, and keeps the
   * handle if the directory stayed the same while it was opened: a permission change racing the
   * open must not be kept as the state the open succeeded in.
   */
  private Node opened(String key, SecureDirectoryStream<Path> dir, Path segment, Path full)
      throws IOException {
    PosixFileAttributes before = stat(dir, segment);
    if (before != null && !before.isDirectory()) {
      throw new NotDirectoryException(full.toString()); // a link, a file: the full walk words it
    }
    SecureDirectoryStream<Path> handle =
        FifoGuard.open(full, () -> dir.newDirectoryStream(segment, NOFOLLOW));
    Identity identity;
    try {
      PosixFileAttributeView view = handle.getFileAttributeView(PosixFileAttributeView.class);
      identity = view == null ? null : Identity.of(view.readAttributes());
    } catch (IOException | RuntimeException e) {
      handle.close();
      throw e;
    }
    var n = new Node(key, handle, identity);
    if (identity != null && identity.equals(Identity.of(before))) {
      keep(n);
    } else {
      n.retired = true; // used for this request only, closed after it
    }
    return n;
  }

  /** Attributes of {@code entry} of {@code dir}, links not followed; null without a POSIX view. */
  private static PosixFileAttributes stat(SecureDirectoryStream<Path> dir, Path entry)
      throws IOException {
    PosixFileAttributeView view =
        dir.getFileAttributeView(entry, PosixFileAttributeView.class, NOFOLLOW);
    return view == null ? null : view.readAttributes();
  }

  private synchronized Node acquire(String key) {
    Node n = closed ? null : nodes.get(key);
    if (n != null) {
      n.pins++;
    }
    return n;
  }

  private synchronized void retire(Node n) {
    nodes.remove(n.key, n);
    n.retired = true;
  }

  private void release(Node n) {
    boolean last;
    synchronized (this) {
      last = --n.pins == 0 && n.retired;
      n.lastUsed = System.nanoTime();
    }
    if (last) {
      closeQuietly(n);
    }
  }

  /** Keeps {@code n} (pinned by its opener), dropping the least recently used beyond capacity. */
  private void keep(Node n) {
    var unused = new ArrayList<Node>();
    synchronized (this) {
      if (closed || capacity == 0) {
        n.retired = true;
        return;
      }
      Node replaced = nodes.put(n.key, n);
      if (replaced != null) {
        retireLocked(replaced, unused);
      }
      for (Iterator<Node> it = nodes.values().iterator(); nodes.size() > capacity; ) {
        Node eldest = it.hasNext() ? it.next() : null;
        if (eldest == null || eldest == n) {
          // Every other kept handle is in use: this one is not kept.
          nodes.remove(n.key, n);
          n.retired = true;
          break;
        }
        if (eldest.pins == 0) {
          it.remove();
          retireLocked(eldest, unused);
        }
      }
      if (!sweepScheduled && !nodes.isEmpty()) {
        sweepScheduled = true;
        SWEEPER.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
      }
    }
    unused.forEach(DirectoryCache::closeQuietly);
  }

  /** Closes the handles unused for the idle time; comes back while any are kept. */
  private void sweep() {
    var unused = new ArrayList<Node>();
    synchronized (this) {
      long now = System.nanoTime();
      for (Iterator<Node> it = nodes.values().iterator(); it.hasNext(); ) {
        Node n = it.next();
        if (n.pins == 0 && now - n.lastUsed >= idleNanos) {
          it.remove();
          retireLocked(n, unused);
        }
      }
      sweepScheduled = !nodes.isEmpty();
      if (sweepScheduled) {
        SWEEPER.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
      }
    }
    unused.forEach(DirectoryCache::closeQuietly);
  }

  private static void retireLocked(Node n, List<Node> unused) {
    n.retired = true;
    if (n.pins == 0) {
      unused.add(n);
    }
  }

  /** Handles kept now, for tests. */
  synchronized int size() {
    return nodes.size();
  }

  /** Closes every kept handle; one in use is closed when its request is done. Keeps none after. */
  @Override
  public void close() {
    var unused = new ArrayList<Node>();
    synchronized (this) {
      closed = true;
      for (Node n : nodes.values()) {
        retireLocked(n, unused);
      }
      nodes.clear();
    }
    unused.forEach(DirectoryCache::closeQuietly);
  }

  private static void closeQuietly(Node n) {
    try {
      n.handle.close();
    } catch (IOException e) {
      // A directory opened for reading only: nothing was lost.
    }
  }
}
