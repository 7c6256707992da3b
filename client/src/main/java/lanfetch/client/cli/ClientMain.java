package lanfetch.client.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import lanfetch.client.ExitCodes;
import lanfetch.client.net.ServerConnection;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** {@code lanfetch}: download files from a lanfetch server. */
public final class ClientMain implements Callable<Integer> {
  private final CommandSpec spec = CommandSpecs.withStandardHelp(CommandSpecs.command(this, "lanfetch",
      "Downloads files from a lanfetch server on the local network."));

  private ClientMain() {
    spec.usageMessage().footer("", "Run 'lanfetch COMMAND --help' for a command's options.");
  }

  public static void main(String[] args) {
    var prepare = new Thread(ServerConnection::prepare, "lanfetch-prepare");
    prepare.setDaemon(true);
    prepare.start();
    System.exit(commandLine(System.in, new FileOutputStream(FileDescriptor.out), Interrupts::install, args)
        .execute(args));
  }

  /** The command tree, without signal handling (tests, library use). */
  static CommandLine commandLine(InputStream stdin, OutputStream stdout, String... args) {
    return commandLine(stdin, stdout, Interrupts::none, args);
  }

  /**
   * The command tree. Text goes out as UTF-8 whatever the locale, since names are UTF-8 end to
   * end; {@code stdout} also receives the raw bytes of {@code get -o -}.
   *
   * <p>Building a command's model is a good part of the start-up time, so when {@code args}
   * name a subcommand only that one is built, and none for {@code --version} alone.
   */
  static CommandLine commandLine(InputStream stdin, OutputStream stdout, Supplier<Interrupts> signals,
      String... args) {
    // picocli registers converters for java.sql and java.time types by reflection, loading and
    // initialising dozens of classes (DateTimeFormatter's tables among them) that no lanfetch
    // option uses, on every start.
    System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    var subcommands = new LinkedHashMap<String, Supplier<Object>>();
    subcommands.put("get", () -> new GetCommand(stdin, stdout, signals).spec);
    subcommands.put("list", () -> new ListCommand().spec);
    // A lambda, not GenerateCompletion::new: a method reference would make the class-data dump
    // link picocli's Java 5 class, and JDK 17 then leaves it out of the archive.
    subcommands.put("generate-completion", () -> new GenerateCompletion());
    // The completion script describes the whole tree, so only get and list are built alone;
    // the version needs none of them (and generate-completion is built from annotations).
    boolean named = args.length > 0 && subcommands.containsKey(args[0])
        && !args[0].equals("generate-completion");
    boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    var handler = new ErrorHandler();
    var cmd = new CommandLine(new ClientMain().spec)
        .setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
        .setExecutionExceptionHandler(handler)
        .setExitCodeExceptionMapper(handler)
        .setParameterExceptionHandler(handler);
    subcommands.forEach((name, command) -> {
      if (!versionOnly && (!named || name.equals(args[0]))) {
        cmd.addSubcommand(name, command.get());
      }
    });
    var codes = new LinkedHashMap<String, String>();
    for (String line : ExitCodes.HELP_LIST) {
      int colon = line.indexOf(':');
      // Padded by hand: String.format's first use loads Formatter and regex on every run.
      codes.put(" ".repeat(Math.max(0, 3 - colon)) + line.substring(0, colon), line.substring(colon + 1));
    }
    var withCodes = new java.util.ArrayList<>(cmd.getSubcommands().values());
    withCodes.add(cmd);
    withCodes.removeIf(c -> c.getCommandName().equals("generate-completion"));
    for (CommandLine c : withCodes) {
      c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }
    return cmd;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
