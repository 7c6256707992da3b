package lanfetch.server;

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
 * {@link Confinement#entry} drops hidden names, links leading out, dangling links; FIFOs,
 * devices and names the protocol cannot carry are left out too. Children are sorted by name,
 * and a recursive listing puts each directory before its contents.
 */
final class Listing {
  private final Confinement confinement;
  private final AnswerWriter out;
  private final int maxFrameSize;
  private final List<Entry> pending = new ArrayList<>();
  private int pendingBytes;

  private Listing(Confinement confinement, AnswerWriter out, int maxFrameSize) {
    this.confinement = confinement;
    this.out = out;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Lists a resolved directory into {@code out}. The directory itself must be readable;
   * unreadable subdirectories of a recursive listing are skipped, since chunks have gone out.
   *
   * @throws IOException if the directory cannot be read (nothing was sent) or writing failed
   */
  static void send(Confinement confinement, Resolved dir, boolean recursive, AnswerWriter out,
      int maxFrameSize) throws IOException {
    var listing = new Listing(confinement, out, maxFrameSize);
    List<Resolved> top = listing.children(dir.real(), "");
    var ancestors = new HashSet<Path>();
    ancestors.add(dir.real());
    listing.emit(top, recursive, ancestors);
    listing.finish();
  }

  private void emit(List<Resolved> children, boolean recursive, Set<Path> ancestors)
      throws IOException {
    for (Resolved child : children) {
      var a = child.attributes();
      boolean dir = a.isDirectory();
      add(new Entry(dir ? EntryKind.DIRECTORY : EntryKind.FILE, dir ? 0 : a.size(),
          a.lastModifiedTime().toMillis(), child.name()));
      // A link back up the tree would loop forever; each real directory is entered once per path.
      if (dir && recursive && ancestors.add(child.real())) {
        List<Resolved> grandChildren;
        try {
          grandChildren = children(child.real(), child.name());
        } catch (IOException e) {
          grandChildren = List.of();
        }
        emit(grandChildren, true, ancestors);
        ancestors.remove(child.real());
      }
    }
  }

  /**
   * The servable children of a directory, sorted by name. The directory is read through a
   * handle reached without following links, so a link swapped in for it after the check
   * cannot make the listing show another directory's names.
   */
  private List<Resolved> children(Path dir, String prefix) throws IOException {
    var result = new ArrayList<Resolved>();
    Optional<SecureDirectoryStream<Path>> handle = confinement.directoryHandle(dir);
    try (DirectoryStream<Path> stream = handle.isPresent()
        ? handle.get() : Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        Path fileName = p.getFileName();
        String name = Names.join(prefix, fileName.toString());
        if (Names.isValid(name) && name.indexOf('\uFFFD') < 0) {
          lstat(stream, dir.resolve(fileName.toString()))
              .flatMap(a -> confinement.entry(name, dir.resolve(fileName.toString()), a))
              .filter(r -> r.attributes().isRegularFile() || r.attributes().isDirectory())
              .ifPresent(result::add);
        }
      }
    }
    result.sort((x, y) -> x.name().compareTo(y.name()));
    return result;
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
