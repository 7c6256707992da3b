package lanfetch.server.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import lanfetch.common.FileErrors;
import lanfetch.server.StartupException;
import lanfetch.server.StartupException.Reason;

/**
 * The text of a server configuration file ({@code --config FILE}): one {@code key = value} a line,
 * blank lines, and comment lines starting with {@code #}. Like a Java {@code .properties} file
 * without its escapes and continuation lines, so a Windows path's backslashes and a value with
 * spaces mean what they say; UTF-8. The value is the rest of the line, trimmed.
 *
 * <p>This class knows the syntax and where each entry was written; what a key may name is {@link
 * ConfigOptions}' business. Every failure is a {@link Reason#CONFIG} startup failure whose message
 * starts with {@code FILE:LINE:}.
 */
final class ConfigFile {
  /** One {@code key = value} line. */
  record Entry(String key, String value, int line) {}

  private final Path file;
  private final List<Entry> entries;

  private ConfigFile(Path file, List<Entry> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads {@code file}.
   *
   * @throws StartupException if it cannot be read, or a line is not {@code key = value}, has no
   *     value, or sets a key a line above already set
   */
  static ConfigFile read(Path file) throws StartupException {
    Objects.requireNonNull(file, "file");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new StartupException(
          Reason.CONFIG, "configuration file " + file + " does not exist", e);
    } catch (CharacterCodingException e) {
      throw new StartupException(
          Reason.CONFIG, "cannot read configuration file " + file + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new StartupException(
          Reason.CONFIG, "cannot read configuration file " + file + ": " + FileErrors.reason(e), e);
    }
    var entries = new ArrayList<Entry>();
    var firstLine = new HashMap<String, Integer>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int line = i + 1;
      int equals = text.indexOf('=');
      if (equals <= 0) {
        throw error(file, line, "expected 'option = value', found '" + text + "'");
      }
      var entry =
          new Entry(text.substring(0, equals).strip(), text.substring(equals + 1).strip(), line);
      if (entry.value().isEmpty()) {
        throw error(file, line, "'" + entry.key() + "' has no value");
      }
      Integer first = firstLine.putIfAbsent(entry.key(), line);
      if (first != null) {
        throw error(file, line, "'" + entry.key() + "' is already set on line " + first);
      }
      entries.add(entry);
    }
    return new ConfigFile(file, entries);
  }

  /** The entries in the order written. */
  List<Entry> entries() {
    return entries;
  }

  /** {@code FILE:LINE: message}, as a startup failure with the configuration's exit code. */
  StartupException error(Entry entry, String message) {
    return error(file, entry.line(), message);
  }

  private static StartupException error(Path file, int line, String message) {
    return new StartupException(Reason.CONFIG, file + ":" + line + ": " + message, null);
  }
}
