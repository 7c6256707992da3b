package lanfetch.client.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import lanfetch.client.ExitCodes;
import lanfetch.client.net.ServerConnection;
import lanfetch.protocol.Wire;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lanfetch}: download files from a lanfetch server. */
public final class ClientMain implements Callable<Integer> {
  private final CommandSpec spec =
      CommandSpecs.withStandardHelp(
          CommandSpecs.command(
              this, "lanfetch", "Downloads files from a lanfetch server on the local network."));

  private ClientMain() {
    spec.usageMessage()
        .footer(
            "",
            "Run 'lanfetch help COMMAND' (or 'lanfetch COMMAND --help') for a command's"
                + " options.",
            "",
            "Examples:",
            "  lanfetch get nas docs/report.pdf",
            "  lanfetch list nas docs -r",
            "  lanfetch help get");
  }

  public static void main(String[] args) {
    var prepare = new Thread(new Prepare(speaksTls(args)), "lanfetch-prepare");
    prepare.setDaemon(true);
    prepare.start();
    System.exit(
        commandLine(System.in, new FileOutputStream(FileDescriptor.out), true, args).execute(args));
  }

  /**
   * One-time set-up of the JDK's socket and TLS code, on the second core while picocli builds the
   * model and parses on the first: the classes are loaded and initialised once per JVM, so the
   * connection opened later finds them ready. A class, not a method reference: the first lambda of
   * a JVM initialises the method handle machinery (about 25 ms of CPU even with the archive), and
   * here it would hold up the main thread before the other thread even starts.
   */
  private static final class Prepare implements Runnable {
    private final boolean tls;

    Prepare(boolean tls) {
      this.tls = tls;
    }

    @Override
    public void run() {
      ServerConnection.prepare();
      if (tls) {
        prepareTls();
      }
    }

    /**
     * Half of a TLS connection's set-up on the main thread was JSSE's own: loading the provider and
     * the context classes, the signature and group tables, the first X25519 key pair. Empty key and
     * trust managers: the JDK's defaults would read its CA certificates, which lanfetch never uses.
     * Only a head start: the real handshake reports any problem.
     */
    private static void prepareTls() {
      try {
        var context = SSLContext.getInstance(Wire.TLS_VERSION);
        context.init(new KeyManager[0], new TrustManager[0], null);
        context.getSocketFactory().createSocket().close();
        KeyPairGenerator.getInstance("X25519").generateKeyPair();
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        // The handshake says what is wrong, if anything is.
      }
    }
  }

  /** Whether the command line asks for TLS (a false positive only warms TLS for nothing). */
  private static boolean speaksTls(String[] args) {
    for (String arg : args) {
      if (arg.equals("--tls") || arg.startsWith("--fingerprint")) {
        return true;
      }
    }
    return false;
  }

  /** The command tree, without signal handling (tests, library use). */
  static CommandLine commandLine(InputStream stdin, OutputStream stdout, String... args) {
    return commandLine(stdin, stdout, false, args);
  }

  /**
   * The command tree. Text goes out as UTF-8 whatever the locale, since names are UTF-8 end to end;
   * {@code stdout} also receives the raw bytes of {@code get -o -}.
   *
   * <p>Building a command's model is a good part of the start-up time, so when {@code args} name a
   * subcommand only that one is built, and none for {@code --version} alone.
   */
  static CommandLine commandLine(
      InputStream stdin, OutputStream stdout, boolean handleSignals, String... args) {
    // picocli registers converters for java.sql and java.time types by reflection, loading and
    // initialising dozens of classes (DateTimeFormatter's tables among them) that no lanfetch
    // option uses, on every start; and its default factory looks for Groovy's Closure class on
    // the class path, which costs a failed class lookup and its exception on every start.
    System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    System.setProperty("picocli.disable.closures", "true");
    // The completion script and help describe the whole tree, so only get and list are built
    // alone; the version needs none of them.
    boolean named = args.length > 0 && (args[0].equals("get") || args[0].equals("list"));
    boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    var handler = new ErrorHandler();
    var cmd = new CommandLine(new ClientMain().spec);
    for (String name : SUBCOMMANDS) {
      if (!versionOnly && (!named || name.equals(args[0]))) {
        cmd.addSubcommand(name, subcommand(name, stdin, stdout, handleSignals));
      }
    }
    // After the subcommands: picocli hands these to the commands present when they are set,
    // and a subcommand added later would print through System.out in the locale's charset
    // (under LC_ALL=C, every Chinese name as "??").
    cmd.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
        .setExecutionExceptionHandler(handler)
        .setExitCodeExceptionMapper(handler)
        .setParameterExceptionHandler(handler);
    var withCodes = new java.util.ArrayList<>(cmd.getSubcommands().values());
    withCodes.add(cmd);
    for (CommandLine c : withCodes) {
      String[] table =
          switch (c.getCommandName()) {
            case "get", "lanfetch" -> ExitCodes.HELP_LIST;
            case "list" -> ExitCodes.LIST_HELP_LIST;
            default -> null;
          };
      if (table != null) {
        c.getCommandSpec()
            .usageMessage()
            .exitCodeListHeading("%nExit codes:%n")
            .exitCodeList(codes(table));
      }
    }
    return cmd;
  }

  private static final String[] SUBCOMMANDS = {"get", "list", "help", "generate-completion"};

  /** A switch, not a map of lambdas: see {@link Prepare}. */
  private static Object subcommand(
      String name, InputStream stdin, OutputStream stdout, boolean handleSignals) {
    return switch (name) {
      case "get" -> new GetCommand(stdin, stdout, handleSignals).spec;
      case "list" -> new ListCommand().spec;
      case "help" -> new HelpCommand().spec;
      default -> new CompletionCommand().spec;
    };
  }

  /** "3:cannot connect" lines as picocli's exit-code list, the codes right-aligned. */
  private static LinkedHashMap<String, String> codes(String[] table) {
    var codes = new LinkedHashMap<String, String>();
    for (String line : table) {
      int colon = line.indexOf(':');
      // Padded by hand: String.format's first use loads Formatter and regex on every run.
      codes.put(
          " ".repeat(Math.max(0, 3 - colon)) + line.substring(0, colon), line.substring(colon + 1));
    }
    return codes;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
