package lanfetch.client.plan;

import java.io.IOException;
import java.util.ArrayList;
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
 * {@code --dry-run}: asks the server about names not seen in a listing, so the plan shows sizes and
 * misses.
 */
public final class DryRun {
  private DryRun() {}

  /** The plan with sizes filled in; names the server does not have are reported as failed. */
  public static Plan withSizes(Plan plan, RemoteLister lister, Events events)
      throws IOException, InterruptedException {
    List<String> unknown =
        plan.targets().stream().filter(t -> t.knownSize() < 0).map(Target::name).toList();
    if (unknown.isEmpty()) {
      return plan;
    }
    List<Message> answers = lister.stat(unknown);
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
    return new Plan(targets, plan.directories(), failed, plan.skipped());
  }
}
