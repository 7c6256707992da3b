package lanfetch.client.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fingerprints of servers met before, one {@code host:port SHA256:...} per line, like
 * ssh's known_hosts. The file is rewritten whole: into an owner-only temporary file beside it,
 * then renamed over it, so a crash or a parallel run never leaves it half-written.
 */
public final class KnownHosts {
  private final Path file;

  public KnownHosts(Path file) {
    this.file = file;
  }

  /** {@code $XDG_CONFIG_HOME/lanfetch/known_hosts}, else {@code ~/.config/lanfetch/known_hosts}. */
  public static Path defaultFile(String xdgConfigHome, String userHome) {
    Path base = xdgConfigHome != null && !xdgConfigHome.isBlank() ? Path.of(xdgConfigHome)
        : Path.of(userHome, ".config");
    return base.resolve("lanfetch").resolve("known_hosts");
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
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
    Path tmp = posix
        ? Files.createTempFile(dir, ".known_hosts-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".known_hosts-", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
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
