package lanfetch.common;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * lanfetch's configuration directory, as the XDG base directory specification places it: {@code
 * $XDG_CONFIG_HOME/lanfetch} when that variable holds an absolute path (the spec says to ignore a
 * relative one), else {@code $HOME/.config/lanfetch}, else under Java's {@code user.home}. {@code
 * $HOME} comes before {@code user.home} because Java reads the latter from the password database: a
 * user id without an entry there (a container started with {@code --user}) gets {@code ?}, and
 * files would land in {@code ./?/.config}. The server keeps its TLS key there, the client its
 * known_hosts.
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
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "lanfetch");
    }
    String home = env.apply("HOME");
    if (home != null && home.startsWith("/")) {
      return Path.of(home, ".config", "lanfetch");
    }
    return Path.of(userHome, ".config", "lanfetch");
  }
}
