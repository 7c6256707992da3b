package lanfetch.client.plan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lanfetch.client.Events;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.protocol.Entry;
import lanfetch.protocol.InvalidNameException;
import lanfetch.protocol.Names;
import lanfetch.protocol.PeerText;

/**
 * Turns what the user asked for (names, globs, {@code -r} trees) into targets with local paths.
 * Names from the server's listings are checked like any untrusted input; names that would land on
 * the same local file (or on each other's part files) are caught here, before any byte is written.
 */
public final class Planner {
  /** Lists a directory on the server; opened lazily, only when a glob or tree needs it. */
  interface Lister {
    List<Entry> list(String directory, boolean recursive) throws IOException, InterruptedException;
  }

  private final LocalLayout layout;
  private final Events events;
  private final boolean globs;
  private final Lister lister;
  private final boolean keepPaths;
  private final Map<Object, String> claimed = new HashMap<>();
  private final Map<String, List<Entry>> listings = new HashMap<>();
  private final List<Target> targets = new ArrayList<>();
  private final List<Path> directories = new ArrayList<>();
  private final Map<Path, Long> times = new HashMap<>();
  private final List<Plan.Tree> treeRoots = new ArrayList<>();
  private int failed;
  private int skipped;

  public Planner(LocalLayout layout, Events events, boolean globs, Lister lister) {
    this(layout, events, globs, false, lister);
  }

  /**
   * @param keepPaths every file lands under its whole server name ({@code --keep-paths})
   */
  public Planner(
      LocalLayout layout, Events events, boolean globs, boolean keepPaths, Lister lister) {
    this.layout = layout;
    this.events = events;
    this.globs = globs;
    this.keepPaths = keepPaths;
    this.lister = lister;
  }

  /**
   * The server's name for what the user typed: a name is always relative to the served root, so
   * leading {@code /} and {@code ./} say nothing and go, as does a trailing {@code /}; {@code /},
   * {@code .} and {@code ""} all name the root itself, as {@code ""}.
   */
  public static String asked(String typed) {
    int from = 0;
    while (from < typed.length()) {
      if (typed.charAt(from) == '/') {
        from++;
      } else if (typed.startsWith("./", from)) {
        from += 2;
      } else {
        break;
      }
    }
    int to = typed.length();
    while (to > from && typed.charAt(to - 1) == '/') {
      to--;
    }
    String name = typed.substring(from, to);
    return name.equals(".") ? "" : name;
  }

  public Plan plan(List<String> names, List<String> trees)
      throws IOException, InterruptedException {
    for (String typed : names) {
      String name = asked(typed);
      if (globs && Glob.isPattern(name)) {
        addGlob(Glob.compile(name));
      } else if (name.isEmpty()) {
        fail(
            typed,
            null,
            new FileFailure(
                FailureCode.NOT_A_FILE,
                "is the served directory itself: use -r . to fetch all of it"));
      } else {
        addName(name, -1, keepPaths);
      }
    }
    for (String tree : trees) {
      String directory = asked(tree);
      if (directory.isEmpty()) {
        addShare();
      } else {
        addTree(directory);
      }
    }
    return new Plan(
        List.copyOf(targets),
        List.copyOf(directories),
        failed,
        skipped,
        times,
        List.copyOf(treeRoots));
  }

  private void addName(String name, long size, boolean keepPath) {
    try {
      Names.check(name);
    } catch (InvalidNameException e) {
      fail(name, null, invalid(e));
      return;
    }
    try {
      claim(new Target(name, keepPath ? layout.forKeptPath(name) : layout.forFile(name), size));
    } catch (FileFailure f) {
      fail(name, null, f);
    }
  }

  /**
   * {@code -r .}: everything the server serves, each entry under its whole name with the first
   * segment prefixed ({@code OUT/[接收]docs/...}, {@code OUT/[接收]a.txt}), as {@code -r docs} puts
   * each top-level directory and {@code --keep-paths} each file.
   */
  private void addShare() throws IOException, InterruptedException {
    List<Entry> entries = listing(".", "", true);
    if (entries == null) {
      return;
    }
    treeRoots.add(new Plan.Tree("", layout.outputDir()));
    for (Entry e : entries) {
      try {
        Path local = layout.forKeptPath(e.name());
        if (e.isDirectory()) {
          claimDirectory(e.name(), local);
        } else {
          claim(new Target(e.name(), local, e.size()));
        }
        times.put(local, e.modifiedMillis());
      } catch (FileFailure f) {
        fail(e.name(), null, f);
      }
    }
  }

  private void addGlob(Glob glob) throws IOException, InterruptedException {
    List<Entry> entries = listing(glob.pattern(), glob.baseDirectory(), glob.recursive());
    if (entries == null) {
      return;
    }
    int matched = 0;
    for (Entry e : entries) {
      String full = Names.join(glob.baseDirectory(), e.name());
      if (e.isFile() && glob.matches(full)) {
        matched++;
        if (Names.isValid(full)) {
          addName(full, e.size(), keepPaths || glob.recursive());
          timeOfLast(full, e);
        } else {
          fail(full, null, unsafe(full));
        }
      }
    }
    if (matched == 0) {
      fail(
          glob.pattern(),
          null,
          new FileFailure(FailureCode.NO_MATCH, "no file on the server matches"));
    }
  }

  private void addTree(String directory) throws IOException, InterruptedException {
    Path root;
    try {
      Names.check(directory);
      root = layout.forTreeRoot(directory);
    } catch (InvalidNameException e) {
      fail(directory, null, invalid(e));
      return;
    } catch (FileFailure f) {
      fail(directory, null, f);
      return;
    }
    List<Entry> entries = listing(directory, directory, true);
    if (entries == null || !claimDirectory(directory, root)) {
      return;
    }
    treeRoots.add(new Plan.Tree(directory, root));
    for (Entry e : entries) {
      String full = Names.join(directory, e.name());
      try {
        Path local = layout.forTreeEntry(directory, full, e.name());
        if (e.isDirectory()) {
          claimDirectory(full, local);
        } else {
          claim(new Target(full, local, e.size()));
        }
        times.put(local, e.modifiedMillis());
      } catch (FileFailure f) {
        fail(full, null, f);
      }
    }
  }

  /** Records the listed time of the target just planned for {@code name}, if it was. */
  private void timeOfLast(String name, Entry e) {
    if (!targets.isEmpty() && targets.get(targets.size() - 1).name().equals(name)) {
      times.put(targets.get(targets.size() - 1).destination(), e.modifiedMillis());
    }
  }

  /** A listing, sorted by name, or null after reporting why it could not be had. */
  private List<Entry> listing(String what, String directory, boolean recursive)
      throws IOException, InterruptedException {
    String key = directory + (recursive ? "\0r" : "\0");
    if (!listings.containsKey(key)) {
      try {
        var entries = new ArrayList<>(lister.list(directory, recursive));
        entries.sort(Comparator.comparing(Entry::name));
        listings.put(key, entries);
      } catch (FileFailure f) {
        fail(what, null, f);
        listings.put(key, null);
      }
    }
    return listings.get(key);
  }

  /** A name the user gave breaks the protocol's rules; the server is never asked. */
  private static FileFailure invalid(InvalidNameException e) {
    return new FileFailure(FailureCode.INVALID_NAME, "invalid name: " + reason(e));
  }

  /** The rule a name breaks, without repeating the name. */
  static String reason(InvalidNameException e) {
    String lead = "invalid name " + PeerText.quote(e.name()) + ": ";
    return e.getMessage().startsWith(lead)
        ? e.getMessage().substring(lead.length())
        : e.getMessage();
  }

  private static FileFailure unsafe(String name) {
    try {
      Names.check(name);
      return new FileFailure(FailureCode.UNSAFE_NAME, "unsafe name; refused");
    } catch (InvalidNameException e) {
      return new FileFailure(
          FailureCode.UNSAFE_NAME, "the server listed an unsafe name (" + reason(e) + "); refused");
    }
  }

  private void claim(Target t) {
    Object destination = LocalLayout.clashKey(t.destination());
    String existing = claimed.get(destination);
    if (t.name().equals(existing)) {
      skipped++;
      events.skipped(t, "named more than once; fetched once");
      return;
    }
    Object[] keys = {destination, LocalLayout.clashKey(t.part()), LocalLayout.clashKey(t.meta())};
    for (Object key : keys) {
      String other = claimed.get(key);
      if (other != null) {
        fail(
            t.name(),
            t.destination(),
            new FileFailure(
                FailureCode.NAME_CLASH,
                "lands on the same local file as " + PeerText.quote(other) + "; not downloaded"));
        return;
      }
    }
    for (Object key : keys) {
      claimed.put(key, t.name());
    }
    targets.add(t);
  }

  private boolean claimDirectory(String name, Path local) {
    Object key = LocalLayout.clashKey(local);
    String other = claimed.get(key);
    if (other != null && !other.equals(name)) {
      fail(
          name,
          local,
          new FileFailure(
              FailureCode.NAME_CLASH,
              "lands on the same local path as " + PeerText.quote(other) + "; not downloaded"));
      return false;
    }
    if (other == null) {
      claimed.put(key, name);
      directories.add(local);
    }
    return true;
  }

  private void fail(String name, Path destination, FileFailure f) {
    failed++;
    events.failed(name, destination, f);
  }
}
