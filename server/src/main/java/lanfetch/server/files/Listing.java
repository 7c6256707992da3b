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
import java.util.Set;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.MessageCodec;
import lanfetch.protocol.Names;

/**
 * Streams the answer to a LIST as LIST_CHUNK frames while walking the directory, so a huge
 * tree costs at most a couple of frames of memory. Only what a request could fetch is listed:
 * {@link Confinement#entry} drops hidden names, links leading out, dangling links, what the
 * server cannot open (unreadable files, directories it cannot list); FIFOs,
 * devices and names the protocol cannot carry are left out too, as are names that cannot be
 * requested because, joined to the listed directory's, they are longer than 4096 bytes.
 * Children are sorted by name in code-point order ({@link NameOrder}), and a recursive listing
 * puts each directory right before its contents.
 */
final class Listing {
  private final Confinement confinement;
  /** The listed directory's name, "" for the root: entries are named relative to it. */
  private final String listed;
  private final AnswerSink out;
  private final int maxFrameSize;
  private final List<Entry> pending = new ArrayList<>();
  private int pendingBytes;

  private Listing(Confinement confinement, String listed, AnswerSink out, int maxFrameSize) {
    this.confinement = confinement;
    this.listed = listed;
    this.out = out;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * What a listing keeps of a child until its turn comes: a directory of 200,000 files is held
   * as this, sorted, so it must stay small. No attributes, and a path only for a directory
   * reached through a link (any other is found again from its parent's path and its segment).
   *
   * @param linkTarget the real path of a directory reached through a link, else null
   */
  private record Child(String segment, boolean directory, long size, long mtime,
      Path linkTarget) {
    Path real(Path parent) {
      return linkTarget != null ? linkTarget : parent.resolve(segment);
    }
  }

  /**
   * Lists a resolved directory into {@code out}. The directory itself must be readable;
   * unreadable subdirectories of a recursive listing are skipped, since chunks have gone out.
   *
   * @throws IOException if the directory cannot be read (nothing was sent) or writing failed
   */
  static void send(Confinement confinement, Resolved dir, boolean recursive, AnswerSink out,
      int maxFrameSize) throws IOException {
    var listing = new Listing(confinement, dir.name(), out, maxFrameSize);
    List<Child> top = listing.children(dir.real(), "");
    var ancestors = new HashSet<Path>();
    ancestors.add(dir.real());
    listing.emit(dir.real(), "", top, recursive, ancestors);
    listing.finish();
  }

  private void emit(Path parent, String prefix, List<Child> children, boolean recursive,
      Set<Path> ancestors) throws IOException {
    for (Child child : children) {
      String name = Names.join(prefix, child.segment());
      add(new Entry(child.directory() ? EntryKind.DIRECTORY : EntryKind.FILE, child.size(),
          child.mtime(), name));
      if (!child.directory() || !recursive) {
        continue;
      }
      Path real = child.real(parent);
      // A link back up the tree would loop forever; each real directory is entered once per path.
      if (ancestors.add(real)) {
        List<Child> grandChildren;
        try {
          grandChildren = children(real, name);
        } catch (IOException e) {
          grandChildren = List.of();
        }
        emit(real, name, grandChildren, true, ancestors);
        ancestors.remove(real);
      }
    }
  }

  /**
   * The servable children of a directory, in code-point order. The directory is read through a
   * handle reached without following links, so a link swapped in for it after the check
   * cannot make the listing show another directory's names.
   */
  private List<Child> children(Path dir, String prefix) throws IOException {
    var result = new ArrayList<Child>();
    Optional<SecureDirectoryStream<Path>> handle = confinement.directoryHandle(dir);
    try (DirectoryStream<Path> stream = handle.isPresent()
        ? handle.get() : Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String segment = p.getFileName().toString();
        String name = Names.join(prefix, segment);
        // The name a client would request must be valid, and so within 4096 bytes in full.
        if (Names.isValid(Names.join(listed, name)) && name.indexOf('\uFFFD') < 0) {
          Path path = dir.resolve(segment);
          lstat(stream, path)
              .flatMap(a -> confinement.entry(name, stream, path, a))
              .flatMap(r -> child(segment, path, r))
              .ifPresent(result::add);
        }
      }
    }
    result.sort((x, y) -> NameOrder.compare(x.segment(), y.segment()));
    return result;
  }

  /** The compact form of a servable entry; empty for what is neither file nor directory. */
  private static Optional<Child> child(String segment, Path path, Resolved r) {
    var a = r.attributes();
    long mtime = a.lastModifiedTime().toMillis();
    if (a.isRegularFile()) {
      return Optional.of(new Child(segment, false, a.size(), mtime, null));
    }
    if (a.isDirectory()) {
      return Optional.of(new Child(segment, true, 0, mtime, r.real().equals(path) ? null : r.real()));
    }
    return Optional.empty();
  }

  /** An entry's own attributes, through the directory handle when there is one. */
  private static Optional<BasicFileAttributes> lstat(DirectoryStream<Path> dir, Path entry) {
    try {
      if (dir instanceof SecureDirectoryStream<Path> sds) {
        return Optional.of(sds.getFileAttributeView(entry.getFileName(),
            BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes());
      }
      return Optional.of(Files.readAttributes(entry, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS));
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

  private void finish() throws IOException {
    for (ListChunk c : ListChunk.split(pending, maxFrameSize)) {
      out.frame(c);
    }
  }
}
