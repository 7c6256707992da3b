package lanfetch.client.plan;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.protocol.InvalidNameException;
import lanfetch.protocol.Names;
import lanfetch.protocol.PeerText;

/**
 * Where server names land locally: {@code a/b.txt} as {@code OUT/[接收]b.txt}, or as {@code
 * OUT/[接收]a/b.txt} where paths are kept; a tree fetched with {@code -r logs} as {@code
 * OUT/[接收]logs/...}. Every path is computed here from names that passed the protocol's rules and
 * the local file system's own, and is checked to stay inside the output directory: a server cannot
 * steer a write anywhere else.
 */
public final class LocalLayout {
  private final Path outputDir;
  private final String prefix;

  /** The last tree whose root was computed, and that root: the entries of a tree come together. */
  private String treeDirectory;

  private Path treeRootPath;
  private int treeDepth;

  public LocalLayout(Path outputDir, String prefix) {
    this.outputDir = Objects.requireNonNull(outputDir, "outputDir").toAbsolutePath().normalize();
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  public Path outputDir() {
    return outputDir;
  }

  /** A single file: the last segment, prefixed, directly in the output directory. */
  public Path forFile(String name) throws FileFailure {
    List<String> segments = segments(name);
    return inside(outputDir.resolve(localSegment(prefixed(segments.get(segments.size() - 1)))));
  }

  /**
   * The prefixed local name. The protocol allows 255-byte segments, so the prefix can push a name
   * past NAME_MAX; shortening it would change the name the user asked for (and could make two names
   * collide), so that file fails with a reason and the way out instead.
   */
  private String prefixed(String segment) throws FileFailure {
    String local = prefix + segment;
    int length = Target.utf8Length(local);
    if (length > Target.NAME_MAX) {
      throw new FileFailure(
          FailureCode.NAME_TOO_LONG,
          "the local name "
              + PeerText.quote(prefix)
              + " + name"
              + " would be "
              + length
              + " bytes, more than the "
              + Target.NAME_MAX
              + " a local file name may have; --prefix '' keeps the server's name as it is");
    }
    return local;
  }

  /**
   * A file or directory under its whole server name, the first segment prefixed: {@code
   * docs/2026/x.jpg} as {@code OUT/[接收]docs/2026/x.jpg}. The rule of {@code --keep-paths}, of globs
   * that cross directories and of the whole share ({@code -r .}); a top-level name lands as {@link
   * #forFile} would put it.
   */
  public Path forKeptPath(String name) throws FileFailure {
    List<String> segments = segments(name);
    Path first = outputDir.resolve(localSegment(prefixed(segments.get(0))));
    if (segments.size() == 1) {
      return inside(first);
    }
    String rest = name.substring(segments.get(0).length() + 1);
    return inside(first.resolve(localRelative(rest, segments.subList(1, segments.size()))));
  }

  /** The local root of {@code -r directory}: its last segment, prefixed. */
  Path forTreeRoot(String directory) throws FileFailure {
    return forFile(directory);
  }

  /** An entry {@code relative} below a {@code -r directory}, keeping its structure. */
  public Path forTreeEntry(String directory, String relative) throws FileFailure {
    return forTreeEntry(directory, Names.join(directory, relative), relative);
  }

  /**
   * An entry {@code relative} below a {@code -r directory}, whose whole server name {@code name}
   * the caller has joined already. Thousands of entries come through here: the name is checked
   * once, in place, and a relative path the local file system reads as exactly the name's segments
   * is already normal (no segment is empty, {@code .} or {@code ..}), so it stays below the tree's
   * root without being normalized again.
   */
  Path forTreeEntry(String directory, String name, String relative) throws FileFailure {
    check(name);
    Path root = treeRoot(directory);
    Path local = plainRelative(relative);
    if (local != null) {
      return insideNormal(root.resolve(local));
    }
    List<String> segments = segments(name);
    return inside(
        root.resolve(localRelative(relative, segments.subList(treeDepth, segments.size()))));
  }

  /**
   * The relative name as one local path if the local file system reads it as exactly its segments,
   * joined by {@code /} (on Unix, always for a valid name); else null.
   */
  private Path plainRelative(String relative) {
    try {
      Path p = outputDir.getFileSystem().getPath(relative);
      if (p.getNameCount() == segmentCount(relative)
          && p.getRoot() == null
          && p.toString().equals(relative)) {
        return p;
      }
    } catch (InvalidPathException e) {
      // One segment at a time says which one this file system refuses, and why.
    }
    return null;
  }

  private static int segmentCount(String name) {
    int count = 1;
    for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
      count++;
    }
    return count;
  }

  /**
   * The segments as one relative local path: parsed at once where the local file system reads the
   * name as exactly these segments (on Unix, always for a valid name), else one by one.
   */
  private Path localRelative(String relative, List<String> segments) throws FileFailure {
    Path p = plainRelative(relative);
    if (p != null) {
      return p;
    }
    p = localSegment(segments.get(0));
    for (String segment : segments.subList(1, segments.size())) {
      p = p.resolve(localSegment(segment));
    }
    return p;
  }

  /** The local root of a tree, computed once per tree rather than once per entry. */
  private Path treeRoot(String directory) throws FileFailure {
    if (!directory.equals(treeDirectory)) {
      treeRootPath = forTreeRoot(directory);
      treeDepth = segments(directory).size();
      treeDirectory = directory;
    }
    return treeRootPath;
  }

  /** Whether this file system folds case, so that paths differing only in case are one file. */
  private static final boolean MAC =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");

  /**
   * A key under which two paths that would be the same file compare equal: the path itself where
   * case matters (paths compare by their bytes, with no string to decode), its lower-case text
   * where it does not.
   */
  static Object clashKey(Path path) {
    boolean caseInsensitive = MAC || path.getFileSystem().getSeparator().equals("\\");
    return caseInsensitive ? path.toString().toLowerCase(Locale.ROOT) : path;
  }

  private static List<String> segments(String name) throws FileFailure {
    check(name);
    return List.of(name.split("/"));
  }

  private static void check(String name) throws FileFailure {
    try {
      Names.check(name);
    } catch (InvalidNameException e) {
      throw new FileFailure(
          FailureCode.UNSAFE_NAME, "unsafe name (" + Planner.reason(e) + "); refused");
    }
  }

  /** The segment as one local path element, or a failure if this file system would not take it. */
  private Path localSegment(String segment) throws FileFailure {
    try {
      Path p = outputDir.getFileSystem().getPath(segment);
      if (p.isAbsolute()
          || p.getRoot() != null
          || p.getNameCount() != 1
          || !p.toString().equals(segment)) {
        throw new InvalidPathException(segment, "not a single plain file name here");
      }
      return p;
    } catch (InvalidPathException e) {
      throw new FileFailure(
          FailureCode.UNSAFE_NAME,
          "cannot be stored here: "
              + PeerText.quote(segment)
              + " is not a valid local file name ("
              + e.getReason()
              + ")");
    }
  }

  private Path inside(Path path) throws FileFailure {
    return insideNormal(path.normalize());
  }

  /** {@link #inside} for a path known to be normal already. */
  private Path insideNormal(Path normal) throws FileFailure {
    if (!normal.startsWith(outputDir) || normal.equals(outputDir)) {
      throw new FileFailure(
          FailureCode.UNSAFE_NAME,
          "would land outside the output directory " + outputDir + "; refused");
    }
    return normal;
  }
}
