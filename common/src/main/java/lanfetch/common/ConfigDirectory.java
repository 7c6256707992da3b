package lanfetch.common;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * lanfetch's configuration directory, as the XDG base directory specification places it:
 * {@code $XDG_CONFIG_HOME/lanfetch} when that variable is set and not blank, else
 * {@code ~/.config/lanfetch}. The server keeps its TLS key there, the client its known_hosts.
 */
public final class ConfigDirectory {
  private ConfigDirectory() {}

  /**
   * @param env looks up an environment variable, null when unset ({@code System::getenv})
   * @param userHome the {@code user.home} system property
   */
  public static Path of(Function<String, String> env, String userHome) {
    Objects.requireNonNull(userHome, "userHome");
    String xdg = env.apply("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".config");
    return base.resolve("lanfetch");
  }
}
