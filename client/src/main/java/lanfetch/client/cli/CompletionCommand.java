package lanfetch.client.cli;

import java.util.concurrent.Callable;
import lanfetch.client.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code lanfetch generate-completion}: a bash/zsh completion script for the whole tree. picocli's
 * script leaves out the {@code --no-} form of negatable options, so {@code --no-continue} would not
 * complete; it is added beside the option it negates.
 */
final class CompletionCommand implements Callable<Integer> {
  final CommandSpec spec =
      CommandSpecs.withStandardHelp(
          CommandSpecs.command(
              this,
              "generate-completion",
              "Prints a bash/zsh completion script for lanfetch: source <(lanfetch generate-completion)."));

  CompletionCommand() {
    spec.usageMessage()
        .footer(
            "",
            "Examples:",
            "  source <(lanfetch generate-completion)",
            "  lanfetch generate-completion > /etc/bash_completion.d/lanfetch");
  }

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    String script = AutoComplete.bash(root.getCommandName(), root);
    for (CommandLine command : root.getSubcommands().values()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (option.negatable() && option.longestName().startsWith("--")) {
          String name = option.longestName();
          script =
              script.replace("'" + name + "'", "'" + name + "' '--no-" + name.substring(2) + "'");
        }
      }
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
