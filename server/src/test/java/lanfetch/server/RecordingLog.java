package lanfetch.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Captures what the server logs, so tests can assert on it. */
public final class RecordingLog implements ServerLog {
  public final List<AccessRecord> access = new CopyOnWriteArrayList<>();
  public final List<String> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void access(AccessRecord record) {
    access.add(record);
  }

  @Override
  public void warn(String client, String message) {
    warnings.add(client + " " + message);
  }

  public void awaitWarning(String fragment) {
    Servers.await(
        Duration.ofSeconds(20),
        "a warning containing '" + fragment + "' in " + warnings,
        () -> warnings.stream().anyMatch(w -> w.contains(fragment)));
  }

  public void awaitAccess(String status) {
    Servers.await(
        Duration.ofSeconds(20),
        "an access line with status " + status + " in " + access,
        () -> access.stream().anyMatch(a -> a.status().equals(status)));
  }
}
