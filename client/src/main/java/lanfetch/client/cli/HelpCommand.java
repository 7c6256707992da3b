package lanfetch.client.cli;

import java.util.concurrent.Callable;
import lanfetch.client.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code lanfetch help [COMMAND]}: the help of COMMAND, as {@code lanfetch COMMAND --help} shows
 * it, or the tool's own. Built with the programmatic API rather than picocli's annotated {@code
 * HelpCommand}, for the start-up rules of this package.
 */
final class HelpCommand implements Callable<Integer> {
  final CommandSpec spec =
      CommandSpecs.command(this, "help", "Shows the help of a command: lanfetch help get.");
  private final PositionalParamSpec command =
      CommandSpecs.positional("0")
          .arity("0..1")
          .paramLabel("COMMAND")
          .type(String.class)
          .description("The command whose help to show.")
          .build();

  HelpCommand() {
    spec.addPositional(command);
    CommandSpecs.withStandardHelp(spec);
    spec.usageMessage().footer("", "Examples:", "  lanfetch help get", "  lanfetch help list");
  }

  @Override
  public Integer call() {
    CommandLine help = spec.commandLine();
    CommandLine parent = help.getParent();
    String name = command.getValue();
    if (name == null) {
      parent.usage(help.getOut());
      return ExitCodes.OK;
    }
    CommandLine subcommand = parent.getSubcommands().get(name);
    if (subcommand == null) {
      throw new ParameterException(
          help,
          "no command '"
              + name
              + "'; the commands are "
              + String.join(", ", parent.getSubcommands().keySet()));
    }
    subcommand.usage(help.getOut());
    return ExitCodes.OK;
  }
}
