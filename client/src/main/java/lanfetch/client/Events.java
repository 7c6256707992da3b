package lanfetch.client;

import java.nio.file.Path;

/**
 * What a download run reports, as it happens. Called from several connection threads at once:
 * implementations synchronise their output.
 */
public interface Events {
  /** The run knows its files; total bytes counts only sizes known from listings. */
  default void planned(int files, long knownBytes) {}

  void started(Target target, long size, long offset);

  /** Bytes received since the last call, for progress displays. */
  default void progress(long bytes) {}

  void done(Target target, Done done);

  void skipped(Target target, String reason);

  /** A file failed; destination may be null when no local path could be computed. */
  void failed(String name, Path destination, FileFailure failure);

  void finished(Summary summary);

  /** Sends every event to each of the given listeners in turn. */
  static Events all(Events... listeners) {
    return new Events() {
      @Override public void planned(int files, long knownBytes) {
        for (Events e : listeners) e.planned(files, knownBytes);
      }
      @Override public void started(Target t, long size, long offset) {
        for (Events e : listeners) e.started(t, size, offset);
      }
      @Override public void progress(long bytes) {
        for (Events e : listeners) e.progress(bytes);
      }
      @Override public void done(Target t, Done d) {
        for (Events e : listeners) e.done(t, d);
      }
      @Override public void skipped(Target t, String reason) {
        for (Events e : listeners) e.skipped(t, reason);
      }
      @Override public void failed(String name, Path dest, FileFailure f) {
        for (Events e : listeners) e.failed(name, dest, f);
      }
      @Override public void finished(Summary s) {
        for (Events e : listeners) e.finished(s);
      }
    };
  }
}
