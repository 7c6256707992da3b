package lanfetch.client.mirror;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;

/**
 * The events of an {@code --update} transfer, passed on to {@code next} with two changes: a file
 * that replaced an older copy is reported {@link Events#updated} rather than {@code done}, and the
 * transfer's {@code finished} is held back, since removals and directory times come after it: the
 * run reports its summary through {@link #finish} once everything is done.
 */
public final class MirrorEvents implements Events {
  private final Events next;
  private final Set<String> replacing;
  private final AtomicInteger fresh = new AtomicInteger();
  private final AtomicInteger updated = new AtomicInteger();
  private volatile Summary transfer;

  /**
   * @param replacing names of the files whose destination exists (see {@link Comparison})
   */
  public MirrorEvents(Events next, Set<String> replacing) {
    this.next = next;
    this.replacing = replacing;
  }

  @Override
  public void planned(int files, long knownBytes) {
    next.planned(files, knownBytes);
  }

  @Override
  public void started(Target target, long size, long offset) {
    next.started(target, size, offset);
  }

  @Override
  public void progress(long bytes) {
    next.progress(bytes);
  }

  @Override
  public void retrying(Target target, long size, long position) {
    next.retrying(target, size, position);
  }

  @Override
  public void done(Target target, Done done) {
    if (replacing.contains(target.name())) {
      updated.incrementAndGet();
      next.updated(target, done);
    } else {
      fresh.incrementAndGet();
      next.done(target, done);
    }
  }

  @Override
  public void updated(Target target, Done done) {
    updated.incrementAndGet();
    next.updated(target, done);
  }

  @Override
  public void unchanged(Target target) {
    next.unchanged(target);
  }

  @Override
  public void deleted(Path path, boolean directory) {
    next.deleted(path, directory);
  }

  @Override
  public void skipped(Target target, String reason) {
    next.skipped(target, reason);
  }

  @Override
  public void failed(String name, Path destination, FileFailure failure) {
    next.failed(name, destination, failure);
  }

  /** Holds the transfer's summary back; see {@link #finish}. */
  @Override
  public void finished(Summary summary) {
    transfer = summary;
  }

  /** The transfer's summary, once it has finished. */
  public Summary transfer() {
    return transfer;
  }

  /**
   * Reports the run's summary: the transfer's, with the mirror's counts.
   *
   * @param moreFailed failures after the transfer (removals)
   */
  public Summary finish(int unchanged, int deleted, int moreFailed, long millis, int exitCode) {
    var counts = new Summary.Mirror(fresh.get(), updated.get(), unchanged, deleted);
    Summary s = transfer.asMirror(counts, moreFailed, millis, exitCode);
    next.finished(s);
    return s;
  }
}
