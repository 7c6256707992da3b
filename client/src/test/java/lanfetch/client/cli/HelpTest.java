package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lanfetch.client.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11 item 15: help that helps. */
class HelpTest {
  @ParameterizedTest
  @ValueSource(strings = {"get", "list"})
  void helpCommandShowsTheCommandsOwnHelp(String command) {
    var help = Cli.run("help", command);
    assertEquals(0, help.exit(), help::toString);
    var own = Cli.run(command, "--help");
    assertEquals(own.out(), help.out());
    assertTrue(help.out().startsWith("Usage: lanfetch " + command), help::toString);
  }

  @Test
  void helpAloneShowsTheToolsHelpAndAnUnknownCommandIsAUsageError() {
    var help = Cli.run("help");
    assertEquals(0, help.exit(), help::toString);
    assertTrue(help.out().startsWith("Usage: lanfetch "), help::toString);
    var unknown = Cli.run("help", "gte");
    assertEquals(ExitCodes.USAGE, unknown.exit(), unknown::toString);
    assertTrue(unknown.err().contains("no command 'gte'"), unknown::toString);
  }

  @Test
  void unknownOptionsAndCommandsSuggestTheClosestMatch() {
    var option = Cli.run("get", "nas", "x", "--overwrit");
    assertEquals(ExitCodes.USAGE, option.exit(), option::toString);
    assertTrue(option.err().contains("lanfetch: did you mean --overwrite?\n"), option::toString);
    var command = Cli.run("gte", "nas", "x");
    assertEquals(ExitCodes.USAGE, command.exit(), command::toString);
    assertTrue(command.err().contains("lanfetch: did you mean get?\n"), command::toString);
  }

  @Test
  void listHelpShowsListsOwnExitCodes() {
    var r = Cli.run("list", "--help");
    assertTrue(r.out().contains("the listing was printed"), r::toString);
    assertTrue(
        !r.out().contains("files downloaded") && !r.out().contains("partial files"), r::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "list", "help", "generate-completion"})
  void everyCommandsHelpEndsWithExamples(String command) {
    var r = Cli.run(command, "--help");
    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    int examples = lines.indexOf("Examples:");
    assertTrue(examples > 0, r::toString);
    int count = lines.size() - examples - 1;
    assertTrue(count >= 2 && count <= 3, r::toString);
    assertTrue(
        lines.subList(examples + 1, lines.size()).stream().allMatch(l -> l.startsWith("  ")),
        r::toString);
  }

  @Test
  void theCompletionScriptKnowsNoContinue() {
    var r = Cli.run("generate-completion");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("'--continue' '--no-continue'"), r::toString);
    assertTrue(
        r.out().contains("local commands=\"get list help generate-completion\""), r::toString);
  }
}
