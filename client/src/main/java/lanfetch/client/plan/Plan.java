package lanfetch.client.plan;

import java.nio.file.Path;
import java.util.List;
import lanfetch.client.Target;

/**
 * What a {@code get} will do, once names, lists, globs and trees are resolved.
 *
 * @param targets files to fetch, each with a distinct local path
 * @param directories directories of {@code -r} trees to create, empty ones included, parents first
 * @param failed names that failed while planning (already reported)
 * @param skipped names given more than once (already reported)
 */
public record Plan(List<Target> targets, List<Path> directories, int failed, int skipped) {}
