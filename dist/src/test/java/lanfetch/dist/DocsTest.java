package lanfetch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man pages and completion scripts the build wrote are the ones today's command models give,
 * and each mentions every option of its command.
 */
class DocsTest {
  @TempDir Path tmp;

  @Test
  void theBuildsPagesAndScriptsAreFreshFromTheModels() throws IOException {
    GenerateDocs.generate(tmp, DistFiles.version());
    for (String file :
        List.of(
            "man/man1/lanfetch.1",
            "man/man1/lanfetch-get.1",
            "man/man1/lanfetch-list.1",
            "man/man1/lanfetch-server.1",
            "completion/lanfetch.bash",
            "completion/lanfetch-server.bash",
            "completion/_lanfetch",
            "completion/_lanfetch-server")) {
      assertEquals(
          Files.readString(tmp.resolve(file)),
          Files.readString(DistFiles.generated().resolve(file)),
          file + " differs from what the models give now");
    }
  }

  @Test
  void everyManPageNamesEveryOptionOfItsCommand() throws IOException {
    var client = CommandModels.client();
    var pages =
        Map.of(
            "lanfetch.1", client,
            "lanfetch-get.1", client.getSubcommands().get("get"),
            "lanfetch-list.1", client.getSubcommands().get("list"),
            "lanfetch-server.1", CommandModels.server());
    for (var page : pages.entrySet()) {
      String text =
          unTroff(Files.readString(DistFiles.generated().resolve("man/man1/" + page.getKey())));
      for (String name : optionNames(page.getValue(), true)) {
        assertTrue(text.contains(name), page.getKey() + " does not mention " + name);
      }
      for (String sub : page.getValue().getSubcommands().keySet()) {
        assertTrue(text.contains(sub), page.getKey() + " does not mention the command " + sub);
      }
      assertTrue(text.contains("EXIT STATUS"), page.getKey() + " has no exit codes");
    }
  }

  @Test
  void bashAndZshCompletionOfferEveryOption() throws IOException {
    for (CommandLine command : List.of(CommandModels.client(), CommandModels.server())) {
      String name = command.getCommandName();
      var scripts = List.of("completion/" + name + ".bash", "completion/_" + name);
      for (String script : scripts) {
        String text = Files.readString(DistFiles.generated().resolve(script));
        var all = new ArrayList<CommandLine>(command.getSubcommands().values());
        all.add(command);
        for (CommandLine c : all) {
          // picocli's completion offers each option's own names, not the --no-x of a negatable one.
          for (String option : optionNames(c, false)) {
            assertTrue(
                text.contains(option),
                script + " does not offer " + c.getCommandName() + " " + option);
          }
        }
      }
      assertTrue(
          Files.readString(DistFiles.generated().resolve("completion/_" + name))
              .startsWith("#compdef " + name + "\n"),
          "zsh file without #compdef");
    }
  }

  @Test
  void bashCompletesAnOptionFromTheScript() throws Exception {
    String script = DistFiles.generated().resolve("completion/lanfetch.bash").toString();
    try (var launched = new Launched()) {
      var result =
          launched
              .run(
                  tmp,
                  List.of(
                      "bash",
                      "-c",
                      "source \"$1\"; COMP_WORDS=(lanfetch get --ove);"
                          + " COMP_CWORD=2; COMP_LINE='lanfetch get --ove'; _complete_lanfetch 2>/dev/null;"
                          + " echo \"${COMPREPLY[*]}\"",
                      "bash",
                      script))
              .assertSuccess();
      assertEquals("--overwrite\n", result.stdout());
    }
  }

  /**
   * zsh autoloads {@code _lanfetch} from $fpath on the first TAB, in a real interactive shell on a
   * pseudo-terminal (zpty): the first completion already has to work.
   */
  @Test
  void zshCompletesAnOptionOnTheFirstTab() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh is not installed");
    Path fpath = Files.createDirectories(tmp.resolve("fpath"));
    Files.copy(DistFiles.generated().resolve("completion/_lanfetch"), fpath.resolve("_lanfetch"));
    Path script = tmp.resolve("complete.zsh");
    Files.writeString(
        script,
        """
        zmodload zsh/zpty
        zpty z 'PS1="> " zsh -f -i'
        zpty -w z "fpath=($1 \\$fpath); autoload -U compinit; compinit -u; lanfetch() { : }"
        zpty -w z $'lanfetch get --ove\\t'
        zpty -r z out '*--overwrite*' && print -r -- "completed: --overwrite"
        zpty -d z
        """);
    try (var launched = new Launched()) {
      // zpty -r waits for the completed word; timeout bounds the wait if it never comes.
      var result =
          launched.run(
              tmp, List.of("timeout", "30", "zsh", "-f", script.toString(), fpath.toString()));
      assertEquals(
          "completed: --overwrite\n",
          result.stdout(),
          "zsh did not complete --ove: " + result.stderr());
    }
  }

  @Test
  void manPagesFormatWithoutWarnings() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
    try (var launched = new Launched()) {
      for (String page :
          List.of("lanfetch.1", "lanfetch-get.1", "lanfetch-list.1", "lanfetch-server.1")) {
        var result =
            launched
                .run(
                    tmp,
                    List.of(
                        "groff",
                        "-man",
                        "-Tutf8",
                        "-ww",
                        DistFiles.generated().resolve("man/man1/" + page).toString()))
                .assertSuccess();
        assertEquals("", result.stderr(), page);
        if (page.equals("lanfetch-get.1")) {
          assertTrue(result.stdout().contains("[接收]"), "the default prefix is not shown as [接收]");
        }
      }
    }
  }

  /** Every name of every visible option; with {@code negated}, the --no-x of negatable ones. */
  static List<String> optionNames(CommandLine command, boolean negated) {
    var names = new ArrayList<String>();
    var spec = command.getCommandSpec();
    for (OptionSpec option : spec.options()) {
      if (option.hidden()) {
        continue;
      }
      for (String name : option.names()) {
        names.add(name);
        if (negated && option.negatable() && name.startsWith("--")) {
          names.add(spec.negatableOptionTransformer().makeNegative(name, spec));
        }
      }
    }
    return names;
  }

  private static String unTroff(String page) {
    return page.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "");
  }
}
