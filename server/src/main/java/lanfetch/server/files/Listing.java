package lanfetch.server.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.MessageCodec;
import lanfetch.protocol.Names;

/**
 * Streams the answer to a LIST as LIST_CHUNK frames while walking the directory, so a huge tree
 * costs at most a couple of frames of memory. Only what a request could fetch is listed: {@link
 * Confinement#entry} drops hidden names, links leading out, dangling links, what the server cannot
 * open (unreadable files, directories it cannot list); FIFOs, devices and names the protocol cannot
 * carry are left out too, as are names that cannot be requested because, joined to the listed
 * directory's, they are longer than 4096 bytes. Children are sorted by name in code-point order
 * ({@link NameOrder}), and a recursive listing puts each directory right before its contents.
 *
 * <p>Memory is bounded whatever the tree: a directory is read in passes, each keeping only the next
 * batch of children in name order (a bounded heap), so a listing holds at most {@link
 * #HELD_PER_LISTING} children plus {@link #MIN_BATCH} per directory level below, however many a
 * directory has. A directory of n children costs n / batch passes over it instead of one; below
 * {@code HELD_PER_LISTING / 2} children it is one pass, as before. Across listings, a {@link
 * Budget} caps how many run at once; past it, a LIST is answered BUSY.
 */
final class Listing {
  /** Children one listing may hold at once, over all the directory levels it is inside. */
  static final int HELD_PER_LISTING = 8192;

  /** The smallest batch a directory is read in, however deep. */
  static final int MIN_BATCH = 64;

  /** A generous estimate of what a held child costs on the heap, name included. */
  private static final int BYTES_PER_CHILD = 256;

  /**
   * The listings that may run at once: together they may hold a quarter of the heap. Shared by
   * every worker.
   */
  static final class Budget {
    private final java.util.concurrent.Semaphore permits;

    /** A budget of {@code heapBytes / 4} for listings. */
    Budget(long heapBytes) {
      this(
          new java.util.concurrent.Semaphore(
              (int)
                  Math.max(
                      HELD_PER_LISTING,
                      Math.min(Integer.MAX_VALUE, heapBytes / 4 / BYTES_PER_CHILD))));
    }

    /** A budget of {@code permits}: children held, {@link #HELD_PER_LISTING} per listing. */
    Budget(java.util.concurrent.Semaphore permits) {
      this.permits = permits;
    }

    /** How many listings may run at once. */
    int listings() {
      return permits.availablePermits() / HELD_PER_LISTING;
    }

    /** Takes one listing's place, or refuses BUSY; {@link #release()} gives it back. */
    void admit() throws RequestException {
      if (!permits.tryAcquire(HELD_PER_LISTING)) {
        throw new RequestException(
            ErrorCode.BUSY, "server is busy: too many listings at once; try later");
      }
    }

    void release() {
      permits.release(HELD_PER_LISTING);
    }
  }

  private final Confinement confinement;

  /** The listed directory's name, "" for the root: entries are named relative to it. */
  private final String listed;

  private final AnswerSink out;
  private final int maxFrameSize;
  private final List<Entry> pending = new ArrayList<>();
  private int pendingBytes;

  /** The only kind of child this pass lists (not what is below it); null for every kind. */
  private EntryKind shown;

  private Listing(Confinement confinement, String listed, AnswerSink out, int maxFrameSize) {
    this.confinement = confinement;
    this.listed = listed;
    this.out = out;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * What a listing keeps of a child until its turn comes: a directory of 200,000 files is held as
   * this, sorted, so it must stay small. No attributes, and a path only for a directory reached
   * through a link (any other is found again from its parent's path and its segment).
   *
   * @param linkTarget the real path of a directory reached through a link, else null
   */
  private record Child(String segment, boolean directory, long size, long mtime, Path linkTarget) {
    Path real(Path parent) {
      return linkTarget != null ? linkTarget : parent.resolve(segment);
    }
  }

  /**
   * Lists a resolved directory into {@code out}. The directory itself must be readable; unreadable
   * subdirectories of a recursive listing are skipped, since chunks have gone out.
   *
   * @throws RequestException BUSY, before anything is sent, if the budget has no room
   * @throws IOException if the directory cannot be read (nothing was sent) or writing failed
   */
  static void send(
      Confinement confinement,
      Resolved dir,
      boolean recursive,
      AnswerSink out,
      int maxFrameSize,
      Budget budget)
      throws IOException, RequestException {
    budget.admit();
    try {
      var listing = new Listing(confinement, dir.name(), out, maxFrameSize);
      var ancestors = new HashSet<Path>();
      ancestors.add(dir.real());
      listing.emit(dir.real(), "", recursive, ancestors, 0);
      listing.finish();
    } finally {
      budget.release();
    }
  }

  /**
   * Lists a resolved directory's children, not recursively, in two passes under one admission: its
   * directories, then its files, each in name order. The directory is read once per pass; what one
   * pass collected goes out before the next starts, so the two cost what one listing costs. Since
   * the admission covers both, a listing cannot be refused BUSY between them.
   *
   * @throws RequestException BUSY, before anything is sent, if the budget has no room
   * @throws IOException if the directory cannot be read (nothing was sent, unless the second pass
   *     fails after the first sent its chunks) or writing failed
   */
  static void sendDirectoriesFirst(
      Confinement confinement, Resolved dir, AnswerSink out, int maxFrameSize, Budget budget)
      throws IOException, RequestException {
    budget.admit();
    try {
      var listing = new Listing(confinement, dir.name(), out, maxFrameSize);
      listing.shown = EntryKind.DIRECTORY;
      listing.emit(dir.real(), "", false, new HashSet<>(), 0);
      listing.sendPending();
      listing.shown = EntryKind.FILE;
      listing.emit(dir.real(), "", false, new HashSet<>(), 0);
      listing.finish();
    } finally {
      budget.release();
    }
  }

  /**
   * Lists {@code dir}, batch by batch in name order, and what is below it if {@code recursive}.
   *
   * @param held children the directories above this one hold meanwhile; 0 for the listed directory,
   *     whose read failure is the answer's (below it, an unreadable directory is left empty, since
   *     chunks have gone out)
   */
  private void emit(Path dir, String prefix, boolean recursive, Set<Path> ancestors, int held)
      throws IOException {
    // Three quarters of what is left: the levels below share the last quarter, and the sum
    // over every level stays within HELD_PER_LISTING (plus MIN_BATCH per deep level).
    int batchSize = Math.max(MIN_BATCH, (HELD_PER_LISTING - held) * 3 / 4);
    String after = null;
    while (true) {
      Batch batch;
      try {
        batch = children(dir, prefix, after, batchSize);
      } catch (IOException e) {
        if (held == 0 && after == null) {
          throw e;
        }
        return;
      }
      for (Child child : batch.children()) {
        emit(dir, prefix, child, recursive, ancestors, held + batch.children().size());
      }
      if (batch.last()) {
        return;
      }
      after = batch.upTo();
    }
  }

  private void emit(
      Path parent, String prefix, Child child, boolean recursive, Set<Path> ancestors, int held)
      throws IOException {
    EntryKind kind = child.directory() ? EntryKind.DIRECTORY : EntryKind.FILE;
    if (shown != null && kind != shown) {
      return;
    }
    String name = Names.join(prefix, child.segment());
    add(new Entry(kind, child.size(), child.mtime(), name));
    if (!child.directory() || !recursive) {
      return;
    }
    Path real = child.real(parent);
    // A link back up the tree would loop forever; each real directory is entered once per path.
    if (ancestors.add(real)) {
      emit(real, name, true, ancestors, Math.max(held, 1));
      ancestors.remove(real);
    }
  }

  /**
   * The next servable children of a directory after {@code after} (null: from the first), in
   * code-point order: the first {@code max} names of one pass over the directory, kept in a bounded
   * heap, then checked (lstat, confinement, readability) in order, so a name is checked once
   * whatever the passes. The directory is read through a handle reached without following links, so
   * a link swapped in for it after the check cannot make the listing show another directory's
   * names.
   *
   * @return the servable ones of those names; {@link Batch#last} if no name came after them
   */
  private Batch children(Path dir, String prefix, String after, int max) throws IOException {
    var kept = new PriorityQueue<String>(max + 1, (x, y) -> NameOrder.compare(y, x));
    boolean more = false;
    Optional<SecureDirectoryStream<Path>> handle = confinement.directoryHandle(dir);
    try (DirectoryStream<Path> stream =
        handle.isPresent() ? handle.get() : Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String segment = p.getFileName().toString();
        if (after != null && NameOrder.compare(segment, after) <= 0) {
          continue;
        }
        if (kept.size() == max && NameOrder.compare(segment, kept.peek()) >= 0) {
          more = true;
          continue;
        }
        kept.add(segment);
        if (kept.size() > max) {
          kept.poll();
          more = true;
        }
      }
      var names = new ArrayList<>(kept);
      names.sort(NameOrder::compare);
      var result = new ArrayList<Child>(names.size());
      for (String segment : names) {
        servable(stream, dir, prefix, segment).ifPresent(result::add);
      }
      return new Batch(result, names.isEmpty() ? null : names.get(names.size() - 1), !more);
    }
  }

  /**
   * A batch of a directory's children in name order.
   *
   * @param upTo the last name the batch covered, servable or not; null for none
   * @param last whether no name comes after it
   */
  private record Batch(List<Child> children, String upTo, boolean last) {}

  private Optional<Child> servable(
      DirectoryStream<Path> stream, Path dir, String prefix, String segment) {
    String name = Names.join(prefix, segment);
    // The name a client would request must be valid, and so within 4096 bytes in full.
    if (!Names.isValid(Names.join(listed, name)) || name.indexOf('\uFFFD') >= 0) {
      return Optional.empty();
    }
    Path path = dir.resolve(segment);
    return lstat(stream, path)
        .flatMap(a -> confinement.entry(name, stream, path, a))
        .flatMap(r -> child(segment, path, r));
  }

  /** The compact form of a servable entry; empty for what is neither file nor directory. */
  private static Optional<Child> child(String segment, Path path, Resolved r) {
    var a = r.attributes();
    long mtime = a.lastModifiedTime().toMillis();
    if (a.isRegularFile()) {
      return Optional.of(new Child(segment, false, a.size(), mtime, null));
    }
    if (a.isDirectory()) {
      return Optional.of(
          new Child(segment, true, 0, mtime, r.real().equals(path) ? null : r.real()));
    }
    return Optional.empty();
  }

  /** An entry's own attributes, through the directory handle when there is one. */
  private static Optional<BasicFileAttributes> lstat(DirectoryStream<Path> dir, Path entry) {
    try {
      if (dir instanceof SecureDirectoryStream<Path> sds) {
        return Optional.of(
            sds.getFileAttributeView(
                    entry.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes());
      }
      return Optional.of(
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return Optional.empty(); // gone since it was listed
    }
  }

  private void add(Entry e) throws IOException {
    pending.add(e);
    pendingBytes += MessageCodec.encodedSize(e);
    if (pendingBytes > maxFrameSize) {
      List<ListChunk> chunks = ListChunk.split(pending, maxFrameSize);
      for (ListChunk c : chunks.subList(0, chunks.size() - 1)) {
        out.frame(new ListChunk(c.entries(), false));
      }
      List<Entry> rest = chunks.get(chunks.size() - 1).entries();
      pending.clear();
      pending.addAll(rest);
      pendingBytes = rest.stream().mapToInt(MessageCodec::encodedSize).sum();
    }
  }

  /** Sends every entry still pending, in chunks that are not the last. */
  private void sendPending() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    for (ListChunk c : ListChunk.split(pending, maxFrameSize)) {
      out.frame(new ListChunk(c.entries(), false));
    }
    pending.clear();
    pendingBytes = 0;
  }

  private void finish() throws IOException {
    for (ListChunk c : ListChunk.split(pending, maxFrameSize)) {
      out.frame(c);
    }
  }
}
