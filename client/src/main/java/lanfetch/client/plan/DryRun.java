package lanfetch.client.plan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import lanfetch.client.Events;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.client.net.ServerError;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.Message;
import lanfetch.protocol.StatResult;

/**
 * Asks the server about names not seen in a listing, so that a plan knows every file's size and
 * time: for {@code --dry-run}, which shows sizes and misses, and for {@code --update}, which
 * compares them with the local copies. One pipelined STAT per such name, none for names a listing
 * showed.
 */
public final class DryRun {
  private DryRun() {}

  /**
   * The plan with sizes and times filled in; names the server does not have are reported as failed.
   */
  public static Plan withSizes(Plan plan, RemoteLister lister, Events events)
      throws IOException, InterruptedException {
    List<String> unknown =
        plan.targets().stream().filter(t -> t.knownSize() < 0).map(Target::name).toList();
    if (unknown.isEmpty()) {
      return plan;
    }
    List<Message> answers = lister.stat(unknown);
    var times = new HashMap<Path, Long>(plan.times());
    var targets = new ArrayList<Target>();
    int failed = plan.failed();
    int next = 0;
    for (Target t : plan.targets()) {
      if (t.knownSize() >= 0) {
        targets.add(t);
        continue;
      }
      Message m = answers.get(next++);
      if (m instanceof StatResult s && s.entry().isFile()) {
        targets.add(new Target(t.name(), t.destination(), s.entry().size()));
        times.put(t.destination(), s.entry().modifiedMillis());
      } else {
        failed++;
        events.failed(
            t.name(),
            t.destination(),
            m instanceof ErrorMessage e
                ? ServerError.forFile(e, t.name())
                : new FileFailure(
                    FailureCode.NOT_A_FILE,
                    m instanceof StatResult s && s.entry().isDirectory()
                        ? ServerError.directory(t.name())
                        : "not a regular file on the server"));
      }
    }
    return new Plan(targets, plan.directories(), failed, plan.skipped(), times, plan.trees());
  }

  /**
   * The plan with the times of its {@code -r} trees' own directories, which their listings do not
   * show: one pipelined STAT per tree. A tree whose STAT fails keeps no time.
   */
  public static Plan withTreeTimes(Plan plan, RemoteLister lister)
      throws IOException, InterruptedException {
    List<Plan.Tree> roots = plan.trees().stream().filter(t -> !t.share()).toList();
    if (roots.isEmpty()) {
      return plan;
    }
    List<Message> answers = lister.stat(roots.stream().map(Plan.Tree::name).toList());
    var times = new HashMap<Path, Long>(plan.times());
    for (int i = 0; i < roots.size(); i++) {
      if (answers.get(i) instanceof StatResult s && s.entry().isDirectory()) {
        times.put(roots.get(i).root(), s.entry().modifiedMillis());
      }
    }
    return new Plan(
        plan.targets(), plan.directories(), plan.failed(), plan.skipped(), times, plan.trees());
  }
}
