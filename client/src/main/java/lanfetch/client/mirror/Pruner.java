package lanfetch.client.mirror;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import lanfetch.client.Events;
import lanfetch.client.Failures;
import lanfetch.client.Target;
import lanfetch.client.plan.Plan;

/**
 * {@code --delete}: removes what lies under a tree's destination and is no longer on the server.
 *
 * <p>What stays: every file and directory the server listed (by its local path). Everything else
 * under the tree's root goes, a directory after its contents, with three exceptions: nothing is
 * followed through a symbolic link (a link is removed as itself, its target untouched); a part file
 * ({@code .NAME.part}, its {@code .meta}) that another lanfetch holds locked is kept, and so is the
 * directory around it; for the whole share ({@code -r .}), whose root is the output directory, only
 * top-level entries with the prefix are lanfetch's to remove. Nothing outside a tree's root is ever
 * looked at. A part nobody holds goes whether its file is listed or not: after a clean run every
 * listed file is in place, so no part is left to resume.
 *
 * <p>A run with nothing to remove costs one directory read per directory and no {@code stat} of the
 * files in it: an entry the server listed is kept, whatever it is.
 */
public final class Pruner {
  private final Path outputDir;
  private final String prefix;
  private final Events events;
  private final boolean dryRun;
  private final Set<Object> keepFiles = new HashSet<>();
  private final Set<Object> keepDirectories = new HashSet<>();
  private int deleted;
  private int failed;

  /**
   * @param listed the whole plan, unchanged files included: everything the server listed
   * @param prefix the prefix of top-level names in the share
   * @param dryRun report what would go, remove nothing
   */
  public Pruner(Path outputDir, Plan listed, String prefix, Events events, boolean dryRun) {
    this.outputDir = outputDir;
    this.prefix = prefix;
    this.events = events;
    this.dryRun = dryRun;
    for (Target t : listed.targets()) {
      keepFiles.add(key(t.destination()));
    }
    for (Path dir : listed.directories()) {
      keepDirectories.add(key(dir));
    }
    listed.trees().forEach(t -> keepDirectories.add(key(t.root())));
  }

  /** Entries removed (or, in a dry run, that would be). */
  public int deleted() {
    return deleted;
  }

  /** Entries that could not be removed (each reported). */
  public int failed() {
    return failed;
  }

  /** Removes what the server no longer lists under each tree's root. */
  public void prune(List<Plan.Tree> trees) {
    for (Plan.Tree tree : trees) {
      try (LocalDirectory root = LocalDirectory.open(tree.root())) {
        pruneInside(root, tree.share());
      } catch (NoSuchFileException e) {
        // Nothing there: nothing to remove.
      } catch (IOException e) {
        fail(tree.root(), e);
      }
    }
  }

  private void pruneInside(LocalDirectory dir, boolean shareRoot) throws IOException {
    for (Path name : dir.names()) {
      if (shareRoot && !name.toString().startsWith(prefix)) {
        continue; // not a name lanfetch gives: not ours to remove
      }
      Path local = dir.resolve(name);
      Object key = key(local);
      if (keepFiles.contains(key)) {
        continue; // listed, and in place: a clean run put it there
      }
      if (keepDirectories.contains(key)) {
        try (LocalDirectory sub = dir.openChild(name)) { // refuses a link
          pruneInside(sub, false);
        } catch (IOException e) {
          BasicFileAttributes a = dir.attributes(name);
          if (a != null && a.isDirectory()) {
            fail(local, e);
          } // else gone, or not a directory (a link, say): changed since the clean run made it
        }
        continue;
      }
      BasicFileAttributes a = dir.attributes(name);
      if (a != null) {
        remove(dir, name, a);
      }
    }
  }

  /**
   * Removes a local entry that stands where the server now has another kind of entry (see {@link
   * Comparison}): walked to from the output directory one directory at a time, never through a
   * link.
   */
  public void clear(Path local) {
    try (LocalDirectory parent = openParent(local)) {
      BasicFileAttributes a = parent.attributes(local.getFileName());
      if (a != null) {
        remove(parent, local.getFileName(), a);
      }
    } catch (NoSuchFileException e) {
      // Gone already.
    } catch (IOException e) {
      fail(local, e);
    }
  }

  private LocalDirectory openParent(Path local) throws IOException {
    LocalDirectory dir = LocalDirectory.open(outputDir);
    for (Path name : outputDir.relativize(local.getParent())) {
      try (LocalDirectory up = dir) {
        dir = up.openChild(name);
      }
    }
    return dir;
  }

  /** Removes an entry, a directory with its contents; returns whether it went. */
  private boolean remove(LocalDirectory dir, Path name, BasicFileAttributes a) {
    Path local = dir.resolve(name);
    try {
      if (a.isDirectory()) {
        boolean empty = true;
        try (LocalDirectory sub = dir.openChild(name)) {
          for (Path child : sub.names()) {
            BasicFileAttributes ca = sub.attributes(child);
            empty &= ca == null || remove(sub, child, ca);
          }
        }
        if (!empty) {
          return false; // another run's part is in it: the directory stays with it
        }
        if (!dryRun) {
          dir.deleteDirectory(name);
        }
      } else if (isPartName(name.toString())) {
        return removePart(dir, name);
      } else if (!dryRun) {
        dir.deleteFile(name);
      }
      deleted++;
      events.deleted(local, a.isDirectory());
      return true;
    } catch (DirectoryNotEmptyException e) {
      return false; // something arrived meanwhile: it stays, as a run that began later would see
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      fail(local, e);
      return false;
    }
  }

  /**
   * A part file of a name no longer listed: removed with its sidecar only once this run holds its
   * lock, so a part another lanfetch is writing is never touched. A sidecar goes with its part, or
   * alone when the part is gone.
   */
  private boolean removePart(LocalDirectory dir, Path name) throws IOException {
    String text = name.toString();
    if (text.endsWith(".meta")) {
      Path part = name.resolveSibling(text.substring(0, text.length() - ".meta".length()));
      if (dir.attributes(part) != null) {
        return !isHeld(dir, part); // it goes with its part, unless that part is held
      }
      return deletePlain(dir, name);
    }
    try (FileChannel channel = dir.channel(name)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false; // another lanfetch is writing it
      }
      try {
        if (!dryRun) {
          dir.deleteFile(name);
        }
        deleted++;
        events.deleted(dir.resolve(name), false);
        Path meta = name.resolveSibling(text + ".meta");
        if (dir.attributes(meta) != null) {
          deletePlain(dir, meta);
        }
        return true;
      } finally {
        lock.release();
      }
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  private boolean isHeld(LocalDirectory dir, Path part) {
    try (FileChannel channel = dir.channel(part)) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        lock.release();
      }
      return lock == null;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return true; // cannot tell: keep it
    }
  }

  private boolean deletePlain(LocalDirectory dir, Path name) throws IOException {
    if (!dryRun) {
      dir.deleteFile(name);
    }
    deleted++;
    events.deleted(dir.resolve(name), false);
    return true;
  }

  /** A name lanfetch gives part files and their sidecars (see {@code Target}). */
  static boolean isPartName(String name) {
    return name.startsWith(".") && (name.endsWith(".part") || name.endsWith(".part.meta"));
  }

  private void fail(Path local, IOException e) {
    failed++;
    events.failed(local.toString(), local, Failures.local("delete " + local, e));
  }

  /** Whether names differing only in case (or Unicode form) are one file here. */
  private static final boolean FOLDING =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).matches("(mac|windows).*");

  /**
   * A key under which a listed path and the name the directory gives back compare equal: the path
   * itself where names are bytes, else its NFC, lower-case text (macOS and Windows fold case, and
   * macOS may hand a name back decomposed).
   */
  private static Object key(Path path) {
    if (!FOLDING && !path.getFileSystem().getSeparator().equals("\\")) {
      return path;
    }
    return Normalizer.normalize(path.toString(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }
}
