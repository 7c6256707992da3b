package lanfetch.client.output;

import java.io.PrintWriter;
import java.nio.file.Path;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;

/**
 * {@code --json}: one JSON object per line on stdout for every event, flushed as it happens. Keeps
 * no count of its own, so the listener contract asks nothing more of it: a file tried again within
 * the run shows one {@code start} line per attempt, and {@code retrying} shows no line (README,
 * "--json").
 */
public final class JsonEvents implements Events {
  private final PrintWriter out;

  public JsonEvents(PrintWriter out) {
    this.out = out;
  }

  /** A --dry-run line: what would be fetched, where, and whether that file exists already. */
  public void plan(Target t, boolean exists) {
    Json j =
        Json.object()
            .put("event", "plan")
            .put("name", t.name())
            .put("path", t.destination().toString())
            .put("exists", exists);
    emit(t.knownSize() >= 0 ? j.put("size", t.knownSize()) : j);
  }

  /**
   * A --dry-run line of an --update run: what would be fetched ({@code fetch}), replace a local
   * copy ({@code replace}), or be removed ({@code delete}, with {@code type} and no name).
   */
  public void plan(Target t, String action) {
    Json j =
        Json.object()
            .put("event", "plan")
            .put("action", action)
            .put("name", t.name())
            .put("path", t.destination().toString())
            .put("exists", action.equals("replace"));
    emit(t.knownSize() >= 0 ? j.put("size", t.knownSize()) : j);
  }

  /** A --dry-run line of --delete: this local entry would be removed. */
  public void planDelete(Path path, boolean directory) {
    emit(
        Json.object()
            .put("event", "plan")
            .put("action", "delete")
            .put("path", path.toString())
            .put("type", directory ? "directory" : "file"));
  }

  @Override
  public void started(Target t, long size, long offset) {
    emit(file("start", t).put("size", size).put("offset", offset));
  }

  @Override
  public void done(Target t, Done d) {
    emit(
        file("done", t)
            .put("size", d.size())
            .put("bytes", d.received())
            .put("duration_ms", d.millis())
            .put("sha256", d.sha256()));
  }

  @Override
  public void updated(Target t, Done d) {
    emit(
        file("updated", t)
            .put("size", d.size())
            .put("bytes", d.received())
            .put("duration_ms", d.millis())
            .put("sha256", d.sha256()));
  }

  @Override
  public void unchanged(Target t) {
    emit(file("unchanged", t));
  }

  @Override
  public void deleted(Path path, boolean directory) {
    emit(
        Json.object()
            .put("event", "deleted")
            .put("path", path.toString())
            .put("type", directory ? "directory" : "file"));
  }

  @Override
  public void skipped(Target t, String reason) {
    emit(file("skipped", t).put("reason", reason));
  }

  @Override
  public void failed(String name, Path destination, FileFailure f) {
    emit(
        Json.object()
            .put("event", "failed")
            .put("name", name)
            .put("path", destination == null ? null : destination.toString())
            .put("error", f.codeName())
            .put("message", f.getMessage()));
  }

  @Override
  public void finished(Summary s) {
    Json j =
        Json.object()
            .put("event", "summary")
            .put("files", s.files())
            .put("done", s.done())
            .put("skipped", s.skipped())
            .put("failed", s.failed());
    if (s.mirror() != null) {
      j.put("new", s.mirror().fresh())
          .put("updated", s.mirror().updated())
          .put("unchanged", s.mirror().unchanged())
          .put("deleted", s.mirror().deleted());
    }
    emit(j.put("bytes", s.bytes()).put("duration_ms", s.millis()).put("exit_code", s.exitCode()));
  }

  private static Json file(String event, Target t) {
    return Json.object()
        .put("event", event)
        .put("name", t.name())
        .put("path", t.destination().toString());
  }

  private synchronized void emit(Json json) {
    out.println(json);
    out.flush();
  }
}
