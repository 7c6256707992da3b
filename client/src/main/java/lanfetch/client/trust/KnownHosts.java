package lanfetch.client.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import lanfetch.common.ConfigDirectory;
import lanfetch.common.OwnerOnlyFiles;

/**
 * The fingerprints of servers met before, one {@code host:port SHA256:...} per line, like ssh's
 * known_hosts. The file is rewritten whole: into an owner-only temporary file beside it, then
 * renamed over it, so a crash or a parallel run never leaves it half-written.
 */
public final class KnownHosts {
  private final Path file;

  public KnownHosts(Path file) {
    this.file = file;
  }

  /** {@code known_hosts} in the {@link ConfigDirectory}. */
  public static Path defaultFile(Function<String, String> env, String userHome) {
    return ConfigDirectory.of(env, userHome).resolve("known_hosts");
  }

  Path file() {
    return file;
  }

  /** The fingerprint recorded for {@code hostPort}, if any. */
  synchronized Optional<String> lookup(String hostPort) throws IOException {
    return Optional.ofNullable(load().get(hostPort));
  }

  /** Records a fingerprint for {@code hostPort}, keeping every other line. */
  synchronized void record(String hostPort, String fingerprint) throws IOException {
    Map<String, String> hosts = load();
    hosts.put(hostPort, fingerprint);
    var text = new StringBuilder();
    hosts.forEach((h, f) -> text.append(h).append(' ').append(f).append('\n'));
    OwnerOnlyFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> load() throws IOException {
    var hosts = new LinkedHashMap<String, String>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length == 2 && !parts[0].startsWith("#")) {
          hosts.put(parts[0], parts[1]);
        }
      }
    } catch (NoSuchFileException e) {
      // No server met yet.
    }
    return hosts;
  }
}
