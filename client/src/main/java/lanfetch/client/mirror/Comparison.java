package lanfetch.client.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lanfetch.client.Events;
import lanfetch.client.FailureCode;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.client.landing.GrownFile;
import lanfetch.client.landing.PartFile;
import lanfetch.client.net.ServerError;
import lanfetch.client.plan.Plan;
import lanfetch.client.plan.RemoteLister;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.Message;
import lanfetch.protocol.Sha256;

/**
 * {@code --update}: sorts the plan's files into unchanged (not fetched), new and replacing, from
 * one local {@code lstat} per file against the size and time the listing gave, or, with {@code
 * --checksum}, the server's SHA-256 against a digest of the local copy of the same size. Finds what
 * stands in the way of the server's kind of entry: a file or link where a directory belongs (it
 * goes, as any replaced file), a directory where a file belongs (it goes only with {@code
 * --delete}; otherwise that file fails).
 */
public final class Comparison {
  /**
   * What the comparison found.
   *
   * @param toFetch the plan reduced to the files to fetch; its {@code failed} counts those the
   *     comparison failed too
   * @param unchanged files already the server's version (reported as {@code unchanged})
   * @param replacing names of the files to fetch whose destination exists: they replace it
   * @param obstacles local entries to remove before the transfer, for the server's kind of entry
   */
  public record Result(
      Plan toFetch, List<Target> unchanged, Set<String> replacing, List<Path> obstacles) {}

  private final Plan plan;
  private final Events events;
  private final boolean delete;
  private final boolean serverTimes;
  private final List<Target> fetch = new ArrayList<>();
  private final List<Target> unchanged = new ArrayList<>();
  private final Set<String> replacing = new HashSet<>();
  private final List<Path> obstacles = new ArrayList<>();
  private final List<Target> grown = new ArrayList<>();
  private final List<Long> grownFrom = new ArrayList<>();
  private final Set<Path> cleared = new HashSet<>();
  private int failed;

  private Comparison(Plan plan, Events events, boolean delete, boolean serverTimes) {
    this.plan = plan;
    this.events = events;
    this.delete = delete;
    this.serverTimes = serverTimes;
  }

  /**
   * Compares every target of {@code plan} (sizes and times known: see {@code DryRun.withSizes})
   * with its destination. Reports {@code unchanged} files and failures to {@code events}. Changes
   * nothing on disk, except that with {@code seedGrown} a file that only grew on the server gets a
   * part holding its proven local prefix ({@link GrownFile}), from which its download resumes.
   *
   * @param server the server, for digests ({@code --checksum}, and prefixes of grown files)
   * @param checksum compare files of the server's size by SHA-256 rather than by time
   * @param delete whether a directory where the server has a file may be removed
   * @param serverTimes whether an unchanged file found by checksum gets the server's time
   * @param seedGrown whether to seed the parts of grown files (not in a dry run)
   */
  public static Result compare(
      Plan plan,
      Events events,
      RemoteLister server,
      boolean checksum,
      boolean delete,
      boolean serverTimes,
      boolean seedGrown)
      throws IOException, InterruptedException {
    var c = new Comparison(plan, events, delete, serverTimes);
    c.directories();
    List<Target> sameSize = c.files(checksum);
    if (!sameSize.isEmpty()) {
      c.byChecksum(sameSize, server);
    }
    if (seedGrown && !c.grown.isEmpty()) {
      c.seedGrown(server);
    }
    var toFetch =
        new Plan(
            List.copyOf(c.fetch),
            plan.directories(),
            plan.failed() + c.failed,
            plan.skipped(),
            plan.times(),
            plan.trees());
    return new Result(toFetch, List.copyOf(c.unchanged), Set.copyOf(c.replacing), c.obstacles);
  }

  /**
   * A file or link where the server has a directory is in the way of it. A tree's own root that is
   * not a directory (a link the user made) is not replaced, and nothing below it is looked at
   * through it: its files are fetched as new, and fail as the transfer refuses the link.
   */
  private void directories() {
    for (Plan.Tree tree : plan.trees()) {
      BasicFileAttributes a = tree.share() ? null : attributes(tree.root());
      if (a != null && !a.isDirectory()) {
        cleared.add(tree.root());
      }
    }
    for (Path dir : plan.directories()) {
      BasicFileAttributes a = attributes(dir);
      if (a != null && !a.isDirectory() && !isTreeRoot(dir) && !underCleared(dir)) {
        obstacles.add(dir);
        cleared.add(dir);
      }
    }
  }

  /** A tree's own root is never replaced: a link there is the user's, and is refused as before. */
  private boolean isTreeRoot(Path dir) {
    return plan.trees().stream().anyMatch(t -> t.root().equals(dir));
  }

  /** Whether the path lies below an entry that goes: what is there now is not what will be. */
  private boolean underCleared(Path path) {
    if (cleared.isEmpty()) {
      return false;
    }
    for (Path p = path.getParent(); p != null; p = p.getParent()) {
      if (cleared.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sorts the files by size and time; returns those to compare by checksum.
   *
   * @param checksum whether a file of the server's size is compared by checksum
   */
  private List<Target> files(boolean checksum) {
    var sameSize = new ArrayList<Target>();
    for (Target t : plan.targets()) {
      BasicFileAttributes a = underCleared(t.destination()) ? null : attributes(t.destination());
      if (a == null) {
        fetch.add(t);
      } else if (a.isDirectory()) {
        inTheWay(t);
      } else if (a.isRegularFile() && a.size() == t.knownSize() && checksum) {
        sameSize.add(t);
      } else if (a.isRegularFile() && a.size() == t.knownSize() && sameTime(t, a)) {
        unchanged(t);
      } else if (a.isRegularFile()
          && a.size() >= PartFile.RESUMABLE_MIN
          && a.size() < t.knownSize()) {
        grown.add(t); // perhaps appended to: its copy may be the start of the new version
        grownFrom.add(a.size());
        replace(t);
      } else {
        replace(t);
      }
    }
    return sameSize;
  }

  private boolean sameTime(Target t, BasicFileAttributes a) {
    Long server = plan.time(t.destination());
    return server != null && a.lastModifiedTime().toMillis() == server;
  }

  /** A directory where the server has a file: removed with --delete, else that file fails. */
  private void inTheWay(Target t) {
    if (delete && plan.failed() == 0) {
      obstacles.add(t.destination());
      cleared.add(t.destination());
      replace(t);
      return;
    }
    fail(
        t,
        new FileFailure(
            FailureCode.EXISTS,
            t.destination()
                + " is a directory here but a file on the server"
                + (delete
                    ? "; not removed, since the run already failed"
                    : "; --delete removes it")));
  }

  private void byChecksum(List<Target> sameSize, RemoteLister server)
      throws IOException, InterruptedException {
    List<Message> answers = server.hash(sameSize.stream().map(Target::name).toList());
    for (int i = 0; i < sameSize.size(); i++) {
      Target t = sameSize.get(i);
      Message m = answers.get(i);
      if (m instanceof ErrorMessage e) {
        fail(t, ServerError.forFile(e, t.name()));
      } else if (m instanceof HashResult h && h.size() == t.knownSize()) {
        try {
          if (Arrays.equals(h.sha256(), localDigest(t.destination()))) {
            keepTime(t, h.modifiedMillis());
            unchanged(t);
          } else {
            replace(t);
          }
        } catch (IOException e) {
          fail(t, Failures.local("read " + t.destination(), e));
        }
      } else {
        replace(t); // it changed size since the listing: fetch it, whatever it is now
      }
    }
  }

  /**
   * Asks the server for the digest of each grown file's first bytes, as many as the local copy has
   * (HASH_RANGE), and seeds the parts of those whose copy proves to be that prefix. A server that
   * does not answer HASH_RANGE, or a copy that is not a prefix: the file is fetched whole.
   */
  private void seedGrown(RemoteLister server) throws IOException, InterruptedException {
    List<Message> answers =
        server.hashPrefixes(grown.stream().map(Target::name).toList(), grownFrom);
    if (answers == null) {
      return;
    }
    for (int i = 0; i < grown.size(); i++) {
      Target t = grown.get(i);
      Long mtime = plan.time(t.destination());
      if (answers.get(i) instanceof HashResult h
          && h.size() == t.knownSize()
          && mtime != null
          && h.modifiedMillis() == mtime) {
        GrownFile.seed(t, grownFrom.get(i), h.sha256(), h.size(), h.modifiedMillis());
      }
    }
  }

  /** The SHA-256 of a local file, read without following a link. */
  private static byte[] localDigest(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  /**
   * An unchanged file found by checksum gets the server's time, as a fetched one would: a later run
   * without --checksum then knows it too.
   */
  private void keepTime(Target t, long millis) {
    if (!serverTimes) {
      return;
    }
    try {
      var view =
          Files.getFileAttributeView(
              t.destination(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view.readAttributes().lastModifiedTime().toMillis() != millis) {
        view.setTimes(FileTime.fromMillis(millis), null, null);
      }
    } catch (IOException e) {
      // Its content is the server's; only the time stays as it was.
    }
  }

  private void unchanged(Target t) {
    unchanged.add(t);
    events.unchanged(t);
  }

  private void replace(Target t) {
    replacing.add(t.name());
    fetch.add(t);
  }

  private void fail(Target t, FileFailure f) {
    failed++;
    events.failed(t.name(), t.destination(), f);
  }

  /** The entry's own attributes (a link's, not its target's), or null if there is none. */
  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
