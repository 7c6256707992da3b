package lanfetch.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes the man pages ({@code man/man1/*.1}) and completion scripts ({@code completion/}) of both
 * commands under the directory given as the first argument.
 *
 * <pre>GenerateDocs OUTPUT_DIR VERSION</pre>
 */
public final class GenerateDocs {
  private GenerateDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: GenerateDocs OUTPUT_DIR VERSION");
    }
    generate(Path.of(args[0]), args[1]);
  }

  /** Every page and script, from freshly built models. */
  static void generate(Path out, String version) throws IOException {
    CommandLine client = fixedWidth(CommandModels.client());
    CommandLine server = fixedWidth(CommandModels.server());
    Path man = Files.createDirectories(out.resolve("man/man1"));
    var pages = new ManPage(version);
    write(
        man.resolve("lanfetch.1"),
        pages.render(
            "lanfetch", client, List.of("lanfetch-get", "lanfetch-list", "lanfetch-server")));
    write(
        man.resolve("lanfetch-get.1"),
        pages.render(
            "lanfetch-get",
            client.getSubcommands().get("get"),
            List.of("lanfetch", "lanfetch-list", "lanfetch-server")));
    write(
        man.resolve("lanfetch-list.1"),
        pages.render(
            "lanfetch-list",
            client.getSubcommands().get("list"),
            List.of("lanfetch", "lanfetch-get", "lanfetch-server")));
    write(
        man.resolve("lanfetch-server.1"),
        pages.render("lanfetch-server", server, List.of("lanfetch")));

    Path completion = Files.createDirectories(out.resolve("completion"));
    for (var command : List.of(client, server)) {
      String name = command.getCommandName();
      String bash = AutoComplete.bash(name, command);
      write(completion.resolve(name + ".bash"), bash);
      write(completion.resolve("_" + name), Completion.zsh(name, bash));
    }
  }

  /**
   * 80 columns whatever terminal the build runs in (the server's help adapts to the terminal's
   * width): the same model gives the same files.
   */
  private static CommandLine fixedWidth(CommandLine command) {
    return command.setUsageHelpAutoWidth(false).setUsageHelpWidth(80);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
