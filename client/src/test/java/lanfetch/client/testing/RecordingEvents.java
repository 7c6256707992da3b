package lanfetch.client.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;

/** Collects events for assertions, as a script reading --json would. */
public final class RecordingEvents implements Events {
  public final Map<String, FileFailure> failures = new ConcurrentHashMap<>();
  public final List<String> done = new CopyOnWriteArrayList<>();
  public final List<String> skipped = new CopyOnWriteArrayList<>();
  public volatile Summary summary;

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
