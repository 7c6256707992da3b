package lanfetch.client.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;

/**
 * Collects events for assertions, as a script reading --json would, and checks them against the
 * contract in {@link Events}: every breach is recorded in {@link #violations}.
 */
public final class RecordingEvents implements Events {
  public final Map<String, FileFailure> failures = new ConcurrentHashMap<>();
  public final List<String> done = new CopyOnWriteArrayList<>();
  public final List<String> skipped = new CopyOnWriteArrayList<>();
  public volatile Summary summary;

  /** Every per-file event in order, e.g. "started f.bin 1000 0", "done f.bin". */
  public final List<String> log = new CopyOnWriteArrayList<>();

  /** Events that broke the listener contract; empty when the run kept it. */
  public final List<String> violations = new CopyOnWriteArrayList<>();

  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Set<String> settled = ConcurrentHashMap.newKeySet();
  private volatile boolean planned;

  @Override
  public void planned(int files, long knownBytes) {
    check(!planned, "planned twice");
    planned = true;
  }

  @Override
  public void started(Target target, long size, long offset) {
    log.add("started " + target.name() + " " + size + " " + offset);
    notSettled(target.name(), "started");
    check(planned, "started " + target.name() + " before planned");
    check(open.add(target.name()), "started " + target.name() + " again without retrying");
  }

  @Override
  public void retrying(Target target, long size, long position) {
    log.add("retrying " + target.name() + " " + size + " " + position);
    notSettled(target.name(), "retrying");
    check(open.remove(target.name()), "retrying " + target.name() + " without started");
  }

  @Override
  public void done(Target target, Done d) {
    done.add(target.name());
    log.add("done " + target.name());
    check(open.remove(target.name()), "done " + target.name() + " without started");
    settle(target.name(), "done");
  }

  @Override
  public void skipped(Target target, String reason) {
    skipped.add(target.name());
    log.add("skipped " + target.name());
    open.remove(target.name());
    settle(target.name(), "skipped");
  }

  @Override
  public void failed(String name, Path destination, FileFailure failure) {
    failures.put(name, failure);
    log.add("failed " + name + " " + failure.codeName());
    open.remove(name);
    settle(name, "failed");
  }

  @Override
  public void finished(Summary s) {
    check(summary == null, "finished twice");
    summary = s;
  }

  private void notSettled(String name, String event) {
    check(!settled.contains(name), event + " " + name + " after it was settled");
  }

  private void settle(String name, String event) {
    check(summary == null, event + " " + name + " after finished");
    check(settled.add(name), event + " " + name + " after it was settled");
  }

  private void check(boolean kept, String breach) {
    if (!kept) {
      violations.add(breach);
    }
  }
}
