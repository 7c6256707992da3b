package lanfetch.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.InvalidNameException;
import lanfetch.protocol.Names;
import lanfetch.protocol.PeerText;

/**
 * Maps requested names to files inside the served root, and nothing else.
 *
 * <p>Three layers, because each alone has a hole:
 *
 * <ol>
 *   <li>{@link Names#check} refuses names that are not plain relative paths ({@code ..}, drive
 *       letters, backslashes, device names...), before the file system sees them.
 *   <li>Resolution walks the name one segment at a time through directory handles, without
 *       following links, so the length of the root's path never matters; a link segment is replaced
 *       by its real path, which must still lie under the real root ({@link Path#startsWith},
 *       segment-wise, so {@code /srv/files-private} is not under {@code /srv/files}). Links are
 *       refused outright with {@code --no-symlinks}, and when their full path is longer than the
 *       system allows (they can only be read by path).
 *   <li>Opening then walks the real path again from the root through directory handles ({@link
 *       SecureDirectoryStream}, openat with O_NOFOLLOW on Linux), so a link swapped in between the
 *       check and the open makes the open fail instead of leaving the root; the file's identity is
 *       then compared with what was checked.
 * </ol>
 *
 * <p>A GET of a name with no link on its way takes one walk instead ({@link #openPlain}), through
 * directory handles kept between requests ({@link DirectoryCache}), each proven at every use, level
 * by level from the root, to be the directory that stands at its name at that moment.
 */
final class Confinement implements AutoCloseable {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Path realRoot;
  private final boolean followSymlinks;
  private final boolean serveHidden;

  /** Directory handles kept between GETs, each proven again at every use. */
  private final DirectoryCache directories =
      new DirectoryCache(DirectoryCache.CAPACITY, DirectoryCache.IDLE_MILLIS);

  /** Null until first needed; empty on a file system without directory handles. */
  private volatile Optional<SecureDirectoryStream<Path>> rootHandle;

  private Confinement(Path realRoot, boolean followSymlinks, boolean serveHidden) {
    this.realRoot = realRoot;
    this.followSymlinks = followSymlinks;
    this.serveHidden = serveHidden;
  }

  /**
   * @param realRoot the root's real path (see {@link Path#toRealPath})
   */
  static Confinement of(Path realRoot, boolean followSymlinks, boolean serveHidden) {
    return new Confinement(
        Objects.requireNonNull(realRoot, "realRoot"), followSymlinks, serveHidden);
  }

  Path realRoot() {
    return realRoot;
  }

  /** The root itself, for LIST "". */
  Resolved root() throws RequestException {
    return new Resolved("", realRoot, attributes("", realRoot));
  }

  /**
   * Resolves a requested name to a real path inside the root, walking directory handles from the
   * root's handle as {@link #openPlain} does: no path longer than a single segment goes to the file
   * system, so a name works however long the root's own path is. Only a link is read by its full
   * path (Java has no readlinkat): one past PATH_MAX is refused.
   *
   * @throws RequestException INVALID_NAME, NOT_FOUND or FORBIDDEN
   */
  Resolved resolve(String name) throws RequestException {
    List<String> segments = segments(name);
    Optional<SecureDirectoryStream<Path>> root;
    try {
      root = rootHandle();
    } catch (IOException e) {
      root = Optional.empty(); // the root is gone: resolving by path says so
    }
    return root.isPresent() ? walk(name, segments, root.get()) : resolveByPath(name, segments);
  }

  /** {@link #resolve} through directory handles; {@code dir} is a handle on {@code dirPath}. */
  private Resolved walk(String name, List<String> segments, SecureDirectoryStream<Path> root)
      throws RequestException {
    SecureDirectoryStream<Path> dir = root;
    Path dirPath = realRoot;
    try {
      for (int i = 0; ; i++) {
        Path p = child(name, dirPath, segments.get(i));
        BasicFileAttributes a = lstat(name, dir, p.getFileName());
        boolean link = a.isSymbolicLink();
        if (link) {
          p = followLink(name, p);
          a = attributes(name, p);
        }
        if (i == segments.size() - 1) {
          return new Resolved(name, p, a);
        }
        if (!a.isDirectory()) {
          throw new RequestException(ErrorCode.NOT_FOUND, "no such file: " + PeerText.quote(name));
        }
        SecureDirectoryStream<Path> next = link ? handleOn(name, root, p) : enter(name, dir, p);
        closeUnlessRoot(dir, root);
        dir = next;
        dirPath = p;
      }
    } finally {
      closeUnlessRoot(dir, root);
    }
  }

  /** The directory {@code path}, a child of {@code dir}, never through a link. */
  private static SecureDirectoryStream<Path> enter(
      String name, SecureDirectoryStream<Path> dir, Path path) throws RequestException {
    try {
      return FifoGuard.open(path, () -> dir.newDirectoryStream(path.getFileName(), NOFOLLOW));
    } catch (IOException e) {
      throw refusal(name, e);
    }
  }

  /** A handle on the real directory {@code real}, from the root; the root's own for the root. */
  private SecureDirectoryStream<Path> handleOn(
      String name, SecureDirectoryStream<Path> root, Path real) throws RequestException {
    if (real.equals(realRoot)) {
      return root;
    }
    try {
      return descend(root, realRoot.relativize(real));
    } catch (IOException e) {
      throw refusal(name, e);
    }
  }

  private static void closeUnlessRoot(
      SecureDirectoryStream<Path> dir, SecureDirectoryStream<Path> root) {
    if (dir != root) {
      try {
        dir.close();
      } catch (IOException e) {
        // A directory opened for reading only: nothing was lost.
      }
    }
  }

  /** {@link #resolve} on a file system without directory handles, one path per segment. */
  private Resolved resolveByPath(String name, List<String> segments) throws RequestException {
    Path p = realRoot;
    BasicFileAttributes a = null;
    for (int i = 0; i < segments.size(); i++) {
      p = child(name, p, segments.get(i));
      a = attributes(name, p);
      if (a.isSymbolicLink()) {
        p = followLink(name, p);
        a = null;
      } else if (i < segments.size() - 1 && !a.isDirectory()) {
        throw new RequestException(ErrorCode.NOT_FOUND, "no such file: " + PeerText.quote(name));
      }
    }
    // The last segment's own attributes serve unless it was a link (or there was none).
    return new Resolved(name, p, a != null ? a : attributes(name, p));
  }

  /**
   * Whether a directory entry found while listing would be served, and as what. Empty for entries a
   * request for them would be refused: hidden, links leading out or not allowed, dangling links,
   * files and directories the server cannot open (GET would answer FORBIDDEN). FIFOs and devices
   * are returned as they are, never opened: the caller leaves them out.
   *
   * @param dir the directory being listed, holding the entry
   * @param lstat the entry's own attributes (links not followed), read through {@code dir}
   */
  Optional<Resolved> entry(
      String relativeName, DirectoryStream<Path> dir, Path path, BasicFileAttributes lstat) {
    if (!serveHidden && path.getFileName().toString().startsWith(".")) {
      return Optional.empty();
    }
    if (!lstat.isSymbolicLink()) {
      return readableIn(dir, path, lstat)
          ? Optional.of(new Resolved(relativeName, path, lstat))
          : Optional.empty();
    }
    try {
      Path real = followLink(relativeName, path);
      var r = new Resolved(relativeName, real, attributes(relativeName, real));
      checkReadable(r);
      return Optional.of(r);
    } catch (RequestException e) {
      return Optional.empty();
    }
  }

  /**
   * Refuses what the server cannot read, as GET or LIST would find when opening it: the file, or
   * the directory, is opened and closed again (never a FIFO or device: those are left alone, and
   * refused as what they are).
   *
   * @throws RequestException FORBIDDEN if it cannot be opened, NOT_FOUND if it is gone
   */
  void checkReadable(Resolved r) throws RequestException {
    Path real = r.real();
    if (real.equals(realRoot) || !isFileOrDirectory(r.attributes())) {
      return; // the root was opened at startup; a FIFO or device is never opened
    }
    try {
      Optional<SecureDirectoryStream<Path>> root = rootHandle();
      Path parent = realRoot.relativize(real.getParent());
      if (root.isEmpty()) {
        openAndClose(real, r.attributes());
      } else if (parent.toString().isEmpty()) {
        openAndClose(root.get(), real, r.attributes());
      } else {
        try (SecureDirectoryStream<Path> dir = descend(root.get(), parent)) {
          openAndClose(dir, real, r.attributes());
        }
      }
    } catch (AccessDeniedException e) {
      throw new RequestException(ErrorCode.FORBIDDEN, "not readable: " + PeerText.quote(r.name()));
    } catch (IOException e) {
      throw refusal(r.name(), e);
    }
  }

  /**
   * {@link #checkReadable} for an entry of the directory being listed. The kernel is asked first
   * with access(2), one system call where an open and a close cost two (a listing of 5,000 files
   * made 10,000), and one that weighs permission bits, ACLs and security modules as an open would.
   * Only when it says no, or cannot tell (a path longer than PATH_MAX), does an open through the
   * directory's handle decide, as before.
   */
  private static boolean readableIn(DirectoryStream<Path> dir, Path entry, BasicFileAttributes a) {
    if (!isFileOrDirectory(a) || Files.isReadable(entry)) {
      return true; // FIFOs and devices are never opened: the caller leaves them out as they are
    }
    try {
      openAndClose(dir, entry, a);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isFileOrDirectory(BasicFileAttributes a) {
    return a.isRegularFile() || a.isDirectory();
  }

  /**
   * Opens the regular file or directory {@code entry} of {@code dir} (through its handle when it
   * has one, never following a link) and closes it again.
   */
  private static void openAndClose(DirectoryStream<Path> dir, Path entry, BasicFileAttributes a)
      throws IOException {
    if (!(dir instanceof SecureDirectoryStream<Path> sds)) {
      openAndClose(entry, a);
    } else if (a.isDirectory()) {
      FifoGuard.open(entry, () -> sds.newDirectoryStream(entry.getFileName(), NOFOLLOW)).close();
    } else {
      FifoGuard.open(
              entry,
              () ->
                  sds.newByteChannel(
                      entry.getFileName(),
                      Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))
          .close();
    }
  }

  /** {@link #openAndClose(DirectoryStream, Path, BasicFileAttributes)} by path. */
  private static void openAndClose(Path entry, BasicFileAttributes a) throws IOException {
    if (a.isDirectory()) {
      Files.newDirectoryStream(entry).close();
    } else {
      FifoGuard.open(
              entry,
              () -> FileChannel.open(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
          .close();
    }
  }

  /**
   * Opens a resolved regular file for reading, confined to the root.
   *
   * @throws RequestException NOT_A_FILE, NOT_FOUND, FORBIDDEN (unreadable, or changed while being
   *     opened)
   */
  OpenFile open(Resolved r) throws RequestException {
    BasicFileAttributes a = r.attributes();
    if (a.isDirectory()) {
      throw new RequestException(
          ErrorCode.NOT_A_FILE, "is a directory: " + PeerText.quote(r.name()));
    }
    if (!a.isRegularFile()) {
      // Checked before opening: opening a FIFO for reading would block until a writer came.
      throw new RequestException(
          ErrorCode.NOT_A_FILE,
          "not a regular file (FIFO, device or socket): " + PeerText.quote(r.name()));
    }
    try {
      OpenFile f = openBelowRoot(r);
      if (a.fileKey() != null && !a.fileKey().equals(f.attributes().fileKey())) {
        f.close();
        throw new RequestException(
            ErrorCode.FORBIDDEN, "file changed while being opened: " + PeerText.quote(r.name()));
      }
      return f;
    } catch (NoSuchFileException e) {
      throw new RequestException(ErrorCode.NOT_FOUND, "no such file: " + PeerText.quote(r.name()));
    } catch (AccessDeniedException e) {
      throw new RequestException(ErrorCode.FORBIDDEN, "not readable: " + PeerText.quote(r.name()));
    } catch (IOException e) {
      // ELOOP or ENOTDIR: a segment became a link after it was checked.
      throw new RequestException(
          ErrorCode.FORBIDDEN, "file changed while being opened: " + PeerText.quote(r.name()));
    }
  }

  /**
   * Opens a requested regular file by walking directory handles from the root's handle, never
   * following a link: the common case (no link on the way) without the full resolution's lstat of
   * every segment by path and second walk to open. Empty when the name needs that resolution, which
   * then decides and words the answer: a link on the way or at the end, something missing or not a
   * regular file, a file system without directory handles, a file swapped while being opened, any
   * error.
   *
   * <p>Every level is proven again for every request ({@link DirectoryCache}): a directory handle
   * used without that would go on serving a directory after it was moved out of the root or renamed
   * hidden, for as long as a slow client kept the batch of requests open.
   *
   * @throws RequestException INVALID_NAME or FORBIDDEN (hidden), as {@link #resolve} would
   */
  Optional<OpenFile> openPlain(String name) throws RequestException {
    List<String> segments = segments(name);
    try {
      Optional<SecureDirectoryStream<Path>> root = rootHandle();
      if (root.isEmpty()) {
        return Optional.empty();
      }
      Path file = realRoot.getFileSystem().getPath(segments.get(segments.size() - 1));
      if (segments.size() == 1) {
        return openPlainIn(root.get(), file, realRoot.resolve(name));
      }
      try (DirectoryCache.Lease dir = directories.walk(root.get(), realRoot, name, segments)) {
        return openPlainIn(dir.handle(), file, realRoot.resolve(name));
      }
    } catch (IOException | InvalidPathException e) {
      return Optional.empty();
    }
  }

  /**
   * The regular file {@code file} of {@code dir}, if it stays the same file while opened.
   *
   * @param full the file's path, for the {@link FifoGuard}
   */
  private static Optional<OpenFile> openPlainIn(
      SecureDirectoryStream<Path> dir, Path file, Path full) throws IOException {
    BasicFileAttributes before =
        dir.getFileAttributeView(file, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    if (!before.isRegularFile() || before.fileKey() == null) {
      return Optional.empty(); // checked before opening: a FIFO would block the open
    }
    OpenFile f = openIn(dir, file, full);
    if (!before.fileKey().equals(f.attributes().fileKey())) {
      f.close();
      return Optional.empty();
    }
    return Optional.of(f);
  }

  private OpenFile openBelowRoot(Resolved r) throws IOException {
    Optional<SecureDirectoryStream<Path>> root = rootHandle();
    if (root.isEmpty()) {
      return openByPath(r.real());
    }
    Path parent = realRoot.relativize(r.real().getParent());
    if (parent.toString().isEmpty()) {
      return openIn(root.get(), r.real().getFileName(), r.real());
    }
    try (SecureDirectoryStream<Path> dir = descend(root.get(), parent)) {
      return openIn(dir, r.real().getFileName(), r.real());
    }
  }

  /**
   * A handle on a directory inside the root, reached from the root's handle one segment at a time
   * without following links (openat with O_NOFOLLOW on Linux); empty on a file system without such
   * handles. The caller closes it.
   *
   * @param real a real path inside the root (no links in it when it was resolved)
   * @throws IOException if a segment is now a link or missing: it changed since the check
   */
  Optional<SecureDirectoryStream<Path>> directoryHandle(Path real) throws IOException {
    Path relative = realRoot.relativize(real);
    if (relative.toString().isEmpty()) {
      // A stream of its own: the caller lists it, and a directory stream lists only once.
      DirectoryStream<Path> stream = Files.newDirectoryStream(realRoot);
      if (stream instanceof SecureDirectoryStream<Path> secure) {
        return Optional.of(secure);
      }
      stream.close();
      return Optional.empty();
    }
    Optional<SecureDirectoryStream<Path>> root = rootHandle();
    return root.isEmpty() ? Optional.empty() : Optional.of(descend(root.get(), relative));
  }

  /**
   * From the root's handle down {@code relative}, never following a link; never closes the root.
   */
  private SecureDirectoryStream<Path> descend(SecureDirectoryStream<Path> root, Path relative)
      throws IOException {
    SecureDirectoryStream<Path> current =
        FifoGuard.open(
            realRoot.resolve(relative.getName(0)),
            () -> root.newDirectoryStream(relative.getName(0), NOFOLLOW));
    try {
      for (int i = 1; i < relative.getNameCount(); i++) {
        SecureDirectoryStream<Path> parent = current;
        Path segment = relative.getName(i);
        SecureDirectoryStream<Path> next =
            FifoGuard.open(
                realRoot.resolve(relative.subpath(0, i + 1)),
                () -> parent.newDirectoryStream(segment, NOFOLLOW));
        current.close();
        current = next;
      }
      return current;
    } catch (IOException | RuntimeException e) {
      current.close();
      throw e;
    }
  }

  /**
   * The root's directory handle, opened once and kept: opening the root again for every request
   * cost five system calls of about forty. Only ever used to open entries below it, never listed,
   * so sharing it between workers is safe. Kept for the life of the server, like the listening
   * socket; it also pins the directory being served.
   */
  private Optional<SecureDirectoryStream<Path>> rootHandle() throws IOException {
    Optional<SecureDirectoryStream<Path>> h = rootHandle;
    if (h == null) {
      synchronized (this) {
        h = rootHandle;
        if (h == null) {
          DirectoryStream<Path> stream = Files.newDirectoryStream(realRoot);
          if (stream instanceof SecureDirectoryStream<Path> secure) {
            h = Optional.of(secure);
          } else {
            stream.close();
            h = Optional.empty();
          }
          rootHandle = h;
        }
      }
    }
    return h;
  }

  /** Releases the kept directory handles and the root's; later requests open the root again. */
  @Override
  public synchronized void close() throws IOException {
    directories.close();
    Optional<SecureDirectoryStream<Path>> h = rootHandle;
    rootHandle = null;
    if (h != null && h.isPresent()) {
      h.get().close();
    }
  }

  /**
   * @param full the file's path, for the {@link FifoGuard}
   */
  private static OpenFile openIn(SecureDirectoryStream<Path> dir, Path file, Path full)
      throws IOException {
    SeekableByteChannel ch =
        FifoGuard.open(
            full,
            () ->
                dir.newByteChannel(
                    file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
    try {
      BasicFileAttributes after =
          dir.getFileAttributeView(file, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
      if (!(ch instanceof FileChannel fc)) {
        throw new IOException("file system returned no FileChannel");
      }
      return new OpenFile(fc, after);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** For file systems without directory handles: open, then check the path again. */
  private OpenFile openByPath(Path real) throws IOException {
    FileChannel ch =
        FifoGuard.open(
            real, () -> FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    try {
      if (!real.toRealPath().startsWith(realRoot)) {
        throw new FileSystemException(real.toString(), null, "left the root while opening");
      }
      return new OpenFile(ch, Files.readAttributes(real, BasicFileAttributes.class, NOFOLLOW));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private List<String> segments(String name) throws RequestException {
    List<String> segments;
    try {
      segments = Names.segments(name);
    } catch (InvalidNameException e) {
      throw new RequestException(ErrorCode.INVALID_NAME, e.getMessage());
    }
    if (!serveHidden) {
      for (String s : segments) { // a loop, not a stream: this runs for every request
        if (s.startsWith(".")) {
          throw new RequestException(
              ErrorCode.FORBIDDEN, "hidden name refused: " + PeerText.quote(name));
        }
      }
    }
    return segments;
  }

  private static Path child(String name, Path dir, String segment) throws RequestException {
    try {
      return dir.resolve(segment);
    } catch (InvalidPathException e) {
      throw new RequestException(
          ErrorCode.INVALID_NAME,
          "name cannot be represented on this server's file system: " + PeerText.quote(name));
    }
  }

  private Path followLink(String name, Path link) throws RequestException {
    if (!followSymlinks) {
      throw new RequestException(
          ErrorCode.FORBIDDEN, "symbolic links are not served: " + PeerText.quote(name));
    }
    Path real;
    try {
      real = link.toRealPath();
    } catch (NoSuchFileException e) {
      throw new RequestException(
          ErrorCode.NOT_FOUND, "link leads nowhere: " + PeerText.quote(name));
    } catch (IOException e) {
      throw new RequestException(
          ErrorCode.FORBIDDEN, "link cannot be followed: " + PeerText.quote(name));
    }
    if (!real.startsWith(realRoot)) {
      throw new RequestException(
          ErrorCode.FORBIDDEN, "link leads outside the served directory: " + PeerText.quote(name));
    }
    if (!serveHidden && hasHiddenSegment(realRoot.relativize(real))) {
      throw new RequestException(
          ErrorCode.FORBIDDEN, "link leads to a hidden name: " + PeerText.quote(name));
    }
    return real;
  }

  private static boolean hasHiddenSegment(Path relative) {
    for (Path segment : relative) {
      if (segment.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The attributes of a real path inside the root, links not followed: through the handle of its
   * directory, reached from the root, when there are handles, so its length does not matter.
   */
  private BasicFileAttributes attributes(String name, Path p) throws RequestException {
    try {
      Optional<SecureDirectoryStream<Path>> root =
          p.equals(realRoot) ? Optional.empty() : rootHandle();
      if (root.isEmpty()) {
        return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
      }
      Path parent = realRoot.relativize(p.getParent());
      if (parent.toString().isEmpty()) {
        return lstat(name, root.get(), p.getFileName());
      }
      try (SecureDirectoryStream<Path> dir = descend(root.get(), parent)) {
        return lstat(name, dir, p.getFileName());
      }
    } catch (IOException e) {
      throw refusal(name, e);
    }
  }

  /** The attributes of {@code entry} of {@code dir}, links not followed. */
  private static BasicFileAttributes lstat(String name, SecureDirectoryStream<Path> dir, Path entry)
      throws RequestException {
    try {
      return dir.getFileAttributeView(entry, BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes();
    } catch (IOException e) {
      throw refusal(name, e);
    }
  }

  /**
   * What a failure to reach a name tells the client: FORBIDDEN when access was denied, otherwise
   * NOT_FOUND (missing, a file where a directory was expected, a path too long).
   */
  private static RequestException refusal(String name, IOException e) {
    if (e instanceof AccessDeniedException) {
      return new RequestException(ErrorCode.FORBIDDEN, "not accessible: " + PeerText.quote(name));
    }
    return new RequestException(ErrorCode.NOT_FOUND, "no such file: " + PeerText.quote(name));
  }
}
