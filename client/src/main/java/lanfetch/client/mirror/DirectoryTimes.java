package lanfetch.client.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lanfetch.client.plan.Plan;

/**
 * Gives the directories of {@code -r} trees the server's modification times, deepest first and
 * after everything else is done: a file landed or removed in a directory changes its time, so
 * setting it earlier would not hold. A directory whose time already is the server's is left alone;
 * one that is not a directory (a link, a file) is never touched.
 */
public final class DirectoryTimes {
  private DirectoryTimes() {}

  /**
   * Sets the times; a directory that cannot take one keeps its own (the files are what counts).
   * Only directories reached from {@code outputDir} through directories, never through a link: a
   * link where a directory belongs (a run that failed because of it) leads nowhere it could change.
   */
  public static void apply(Plan plan, Path outputDir) {
    List<Path> parentsFirst = new ArrayList<>();
    plan.trees().stream().filter(t -> !t.share()).forEach(t -> parentsFirst.add(t.root()));
    parentsFirst.addAll(plan.directories());
    parentsFirst.sort(Comparator.comparingInt(Path::getNameCount));
    Set<Path> reached = new HashSet<>();
    reached.add(outputDir);
    for (Path dir : parentsFirst) {
      if (reached.contains(dir.getParent()) && isDirectory(dir)) {
        reached.add(dir);
      }
    }
    List<Path> deepestFirst = new ArrayList<>(parentsFirst);
    Collections.reverse(deepestFirst);
    for (Path dir : deepestFirst) {
      Long millis = plan.time(dir);
      if (millis != null && reached.contains(dir)) {
        set(dir, millis);
      }
    }
  }

  private static boolean isDirectory(Path dir) {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
  }

  private static void set(Path dir, long millis) {
    try {
      var view =
          Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes a = view.readAttributes();
      if (a.isDirectory() && a.lastModifiedTime().toMillis() != millis) {
        view.setTimes(FileTime.fromMillis(millis), null, null);
      }
    } catch (IOException e) {
      // Gone, or not ours to change: the files inside are what a mirror promises.
    }
  }
}
