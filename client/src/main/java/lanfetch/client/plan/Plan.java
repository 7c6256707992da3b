package lanfetch.client.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lanfetch.client.Target;

/**
 * What a {@code get} will do, once names, lists, globs and trees are resolved.
 *
 * @param targets files to fetch, each with a distinct local path
 * @param directories directories of {@code -r} trees to create, empty ones included, parents first
 * @param failed names that failed while planning (already reported)
 * @param skipped names given more than once (already reported)
 * @param times the server's modification time of every target and directory whose listing or STAT
 *     the plan saw, by local path: what an up-to-date copy has, and what directories get
 * @param trees the {@code -r} trees, in the order given: what {@code --delete} prunes
 */
public record Plan(
    List<Target> targets,
    List<Path> directories,
    int failed,
    int skipped,
    Map<Path, Long> times,
    List<Tree> trees) {

  public Plan(List<Target> targets, List<Path> directories, int failed, int skipped) {
    this(targets, directories, failed, skipped, Map.of(), List.of());
  }

  /**
   * One {@code -r} tree.
   *
   * @param name the directory on the server, {@code ""} for the whole share
   * @param root where it lands: {@code OUT/[接收]DIR}, or the output directory itself for the share,
   *     whose own entries land as {@code OUT/[接收]ENTRY}
   */
  public record Tree(String name, Path root) {
    /** Whether this is the whole share, whose root is the output directory. */
    public boolean share() {
      return name.isEmpty();
    }
  }

  /** The server's mtime of what lands at {@code local}, or null if no listing showed it. */
  public Long time(Path local) {
    return times.get(local);
  }
}
