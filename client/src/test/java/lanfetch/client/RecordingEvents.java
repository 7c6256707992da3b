package lanfetch.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects events for assertions, as a script reading --json would. */
final class RecordingEvents implements Events {
  final Map<String, FileFailure> failures = new ConcurrentHashMap<>();
  final List<String> done = new CopyOnWriteArrayList<>();
  final List<String> skipped = new CopyOnWriteArrayList<>();
  volatile Summary summary;

  @Override
  public void started(Target target, long size, long offset) {}

  @Override
  public void done(Target target, Done d) {
    done.add(target.name());
  }

  @Override
  public void skipped(Target target, String reason) {
    skipped.add(target.name());
  }

  @Override
  public void failed(String name, Path destination, FileFailure failure) {
    failures.put(name, failure);
  }

  @Override
  public void finished(Summary s) {
    summary = s;
  }
}
