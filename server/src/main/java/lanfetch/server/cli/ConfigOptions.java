package lanfetch.server.cli;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lanfetch.server.StartupException;
import lanfetch.server.cli.ConfigFile.Entry;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a configuration file's keys mean: each is a long option's name without its dashes ({@code
 * threads}, {@code idle-timeout}, {@code no-symlinks}), its value what the option takes on the
 * command line, or {@code true}/{@code false} for an on/off option. An option the command line
 * gives keeps the command line's value.
 *
 * <p>Values are applied after picocli has parsed the command line, not through a default-value
 * provider: picocli reads a flag given on the command line as the opposite of its default, so
 * {@code hidden = true} as a default would turn {@code --hidden} into "not hidden".
 *
 * <p>Each value is checked alone, as the command line would check it, in a scratch {@link
 * ServerMain}: picocli's conversion, then {@link lanfetch.server.ServerConfig}'s ranges. So a bad
 * value is reported at its line, never later without one.
 */
final class ConfigOptions {
  /** Actions, and the file itself: these are command-line words, not settings. */
  private static final Set<String> COMMAND_LINE_ONLY = Set.of("config", "generate-token", "force");

  /** Furthest a misspelt key may be from an option to be suggested (edits). */
  private static final int SUGGEST_DISTANCE = 2;

  private ConfigOptions() {}

  /**
   * Sets every option {@code file} names that the command line left alone.
   *
   * @return the entries applied, by key
   * @throws StartupException naming the file and line of the first unknown key or bad value
   */
  static Map<String, Entry> apply(ConfigFile file, CommandLine cmd) throws StartupException {
    var settable = settable(cmd.getCommandSpec());
    var applied = new LinkedHashMap<String, Entry>();
    for (Entry entry : file.entries()) {
      OptionSpec option = option(file, entry, cmd.getCommandSpec(), settable);
      Object value = value(file, entry, option);
      if (!cmd.getParseResult().hasMatchedOption(option)) {
        option.setValue(value);
        applied.put(entry.key(), entry);
      }
    }
    return applied;
  }

  /** The options a file may set, by key. */
  private static Map<String, OptionSpec> settable(CommandSpec spec) {
    var options = new LinkedHashMap<String, OptionSpec>();
    for (OptionSpec option : spec.options()) {
      String key = key(option);
      if (key != null
          && !option.usageHelp()
          && !option.versionHelp()
          && !COMMAND_LINE_ONLY.contains(key)) {
        options.put(key, option);
      }
    }
    return options;
  }

  /** The option's key in a file: its long name without the dashes. */
  private static String key(OptionSpec option) {
    String name = option.longestName();
    return name.startsWith("--") ? name.substring(2) : null;
  }

  private static OptionSpec option(
      ConfigFile file, Entry entry, CommandSpec spec, Map<String, OptionSpec> settable)
      throws StartupException {
    String key = entry.key();
    OptionSpec option = settable.get(key);
    if (option != null) {
      return option;
    }
    if (key.equals("token")) {
      throw file.error(
          entry,
          "a token never goes in this file: put it in a file of its own"
              + " (chmod 600) and name that file with token-file");
    }
    if (key.equals("dir")) {
      throw file.error(
          entry,
          "the directory to serve is not set here: name it on the command"
              + " line (DIR), or for the service in LANFETCH_DIR");
    }
    OptionSpec known =
        spec.options().stream()
            .filter(o -> o.longestName().equals("--" + key))
            .findFirst()
            .orElse(null);
    if (known != null) {
      throw file.error(entry, "'" + key + "' works only on the command line");
    }
    throw file.error(entry, "unknown option '" + key + "'" + suggestion(key, spec, settable));
  }

  /** " (did you mean 'threads'?)", or "" when nothing is close. */
  private static String suggestion(String key, CommandSpec spec, Map<String, OptionSpec> settable) {
    for (var negation :
        Map.of("no-" + key, "false", key.replaceFirst("^no-", ""), "false").entrySet()) {
      OptionSpec flag = settable.get(negation.getKey());
      if (flag != null && !negation.getKey().equals(key) && flag.typeInfo().isBoolean()) {
        return " (did you mean '" + negation.getKey() + " = " + negation.getValue() + "'?)";
      }
    }
    OptionSpec shortName = spec.findOption("-" + key);
    if (key.length() == 1 && shortName != null && settable.containsValue(shortName)) {
      return " (did you mean '" + key(shortName) + "'?)";
    }
    String best = null;
    int bestDistance = SUGGEST_DISTANCE + 1;
    for (String candidate : settable.keySet()) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best == null ? " (see lanfetch-server --help)" : " (did you mean '" + best + "'?)";
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** The entry's value as the option's type, checked as the command line would check it. */
  private static Object value(ConfigFile file, Entry entry, OptionSpec option)
      throws StartupException {
    if (option.typeInfo().isBoolean()) {
      return switch (entry.value().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw file.error(
                entry, "'" + entry.key() + "' is true or false, not '" + entry.value() + "'");
      };
    }
    var scratch = new ServerMain();
    var cmd = new CommandLine(scratch);
    try {
      cmd.parseArgs(option.longestName() + "=" + entry.value());
    } catch (CommandLine.ParameterException e) {
      throw file.error(entry, conversionMessage(e, option, entry));
    }
    try {
      scratch.settings(Path.of(".")).build();
    } catch (IllegalArgumentException e) {
      throw file.error(entry, e.getMessage());
    } catch (UnknownHostException e) {
      throw file.error(entry, "unknown bind address: " + entry.value());
    }
    return cmd.getCommandSpec().findOption(option.longestName()).getValue();
  }

  /** picocli's reason, in the file's words: "invalid value for 'threads': 'x' is not an int". */
  private static String conversionMessage(
      CommandLine.ParameterException e, OptionSpec option, Entry entry) {
    String prefix = "Invalid value for option '" + option.longestName() + "': ";
    String message = e.getMessage();
    return message.startsWith(prefix)
        ? "invalid value for '" + entry.key() + "': " + message.substring(prefix.length())
        : message;
  }
}
