package lanfetch.server.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import lanfetch.protocol.Wire;
import lanfetch.server.Durations;
import lanfetch.server.FileServer;
import lanfetch.server.LogFormat;
import lanfetch.server.ServerConfig;
import lanfetch.server.StartupException;
import lanfetch.server.security.ServerTls;
import lanfetch.server.security.TokenFile;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lanfetch-server [DIR]}: serves a directory, read-only, to lanfetch clients. */
@Command(
    name = "lanfetch-server",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    defaultValueProvider = ServerMain.OperatorForm.class,
    subcommands = AutoComplete.GenerateCompletion.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Serves DIR, read-only, to lanfetch clients on the local network, and on the same"
          + " port to browsers, curl and wget over HTTP (HTTPS with --tls).",
      "Prints one line when listening: "
          + "lanfetch-server listening on HOST:PORT threads=N queue=N http=URL,... root=DIR",
      "Access log on stdout, warnings on stderr. Ctrl-C or SIGTERM stops gracefully;"
          + " a second one stops at once.",
      "With --tls the line also shows the key's fingerprint before the root: tls=SHA256:...",
      "Durations take a unit: 500ms, 10s, 2m, 1h (a bare number is seconds).",
      "Every option can also be set in a --config file, one 'option = value' a line"
          + " (threads = 32, hidden = true); the command line wins."
    },
    exitCodeListHeading = "%nExit codes:%n")
public final class ServerMain implements Callable<Integer> {
  /** Stopped cleanly (SIGTERM, Ctrl-C), or --help / --version. */
  static final int OK = 0;

  /** An unexpected failure; the message says what. */
  static final int SOFTWARE = 1;

  /** Bad command line: unknown option, malformed value (picocli's usage-error code). */
  static final int USAGE = 2;

  /** Stopped at once by a second Ctrl-C or SIGTERM; transfers in flight were cut. */
  static final int FORCED_STOP = 130;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Directory to serve (default: the current directory).")
  String dir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read options from FILE: 'option = value' lines, # comments; the command"
              + " line wins. The service reads /etc/lanfetch/server.conf.")
  Path config;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description =
          "TCP port; 0 picks a free one, shown in the startup line (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(
      names = {"-b", "--bind"},
      paramLabel = "ADDR",
      description = "Listen on this address only (default: every interface).")
  String bind;

  @Option(
      names = {"-t", "--threads"},
      paramLabel = "N",
      description =
          "Worker threads: requests answered at once; HASH has half as many of its own (default: ${DEFAULT-VALUE}).")
  int threads = ServerConfig.DEFAULT_THREADS;

  @Option(
      names = "--queue",
      paramLabel = "N",
      description =
          "Requests that may wait for a worker; past it clients get BUSY (default: ${DEFAULT-VALUE}).")
  int queue = ServerConfig.DEFAULT_QUEUE;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Open connections in all; past it new ones get BUSY (default: ${DEFAULT-VALUE}).")
  int maxConnections = ServerConfig.DEFAULT_MAX_CONNECTIONS;

  @Option(
      names = "--max-per-address",
      paramLabel = "N",
      description = "Open connections from one client address (default: ${DEFAULT-VALUE}).")
  int maxPerAddress = ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

  @Option(
      names = "--max-requests",
      paramLabel = "N",
      description =
          "Requests per connection; then TOO_MANY_REQUESTS and the client reconnects (default: ${DEFAULT-VALUE}).")
  long maxRequests = ServerConfig.DEFAULT_MAX_REQUESTS_PER_CONNECTION;

  @Option(
      names = "--max-frame",
      paramLabel = "BYTES",
      description =
          "Largest frame sent, "
              + ServerConfig.MIN_FRAME_SIZE
              + " to "
              + Wire.MAX_FRAME_SIZE
              + "; client frames over "
              + Wire.MAX_CLIENT_FRAME
              + " bytes close the connection (default: ${DEFAULT-VALUE}).")
  int maxFrame = ServerConfig.DEFAULT_MAX_FRAME_SIZE;

  @Option(
      names = "--handshake-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time a new connection has to send its HELLO (default: ${DEFAULT-VALUE}).")
  Duration handshakeTimeout = ServerConfig.DEFAULT_HANDSHAKE_TIMEOUT;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time a connection may wait between requests (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout = ServerConfig.DEFAULT_IDLE_TIMEOUT;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Time a request frame may take to arrive once started; stops slowloris clients (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout = ServerConfig.DEFAULT_REQUEST_TIMEOUT;

  @Option(
      names = "--send-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Time a client may leave an answer unread before it is cut off (default: ${DEFAULT-VALUE}).")
  Duration sendTimeout = ServerConfig.DEFAULT_SEND_TIMEOUT;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "On Ctrl-C or SIGTERM, time transfers in flight get to finish (default: ${DEFAULT-VALUE}).")
  Duration grace = ServerConfig.DEFAULT_GRACE;

  @Option(
      names = "--no-symlinks",
      negatable = true,
      description =
          "Refuse every symbolic link, even one leading inside DIR (--symlinks, the"
              + " default: follow links that stay inside DIR).")
  boolean noSymlinks;

  @Option(
      names = "--no-http",
      negatable = true,
      description =
          "Answer lanfetch clients only (--http, the default: browsers, curl and wget are"
              + " answered over HTTP on the same port, HTTPS with --tls).")
  boolean noHttp;

  @Option(
      names = "--hidden",
      negatable = true,
      description = "List and serve hidden names (a segment starting with '.').")
  boolean hidden;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Require the token in FILE (owner-only permissions) from every client."
              + " The LANFETCH_TOKEN variable works too; never put a token on the command line.")
  Path tokenFile;

  @Option(
      names = "--generate-token",
      paramLabel = "FILE",
      arity = "0..1",
      fallbackValue = "",
      description =
          "Print a new random token, write it to FILE (created rw-------) if given, and exit.")
  String generateToken;

  @Option(names = "--force", description = "With --generate-token: replace an existing FILE.")
  boolean force;

  @Option(
      names = "--tls",
      negatable = true,
      description =
          "Serve TLS 1.3 only. The first start creates a self-signed key; its fingerprint"
              + " is in the startup line. Clients then need --tls.")
  boolean tls;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description =
          "The TLS key (PKCS#12), created if missing (default:"
              + " $XDG_CONFIG_HOME/lanfetch/server/tls-key.p12, else ~/.config/...).")
  Path tlsKey;

  @Option(
      names = {"-q", "--quiet"},
      negatable = true,
      description = "No access log; warnings still go to stderr.")
  boolean quiet;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = LogFormatConverter.class,
      description = "Log lines as text or json, one object per line (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  /** Called once the server listens; tests use it to stop the server they started. */
  Consumer<FileServer> onStart = server -> {};

  /** The environment; tests replace it. */
  Map<String, String> env = System.getenv();

  public static void main(String[] args) {
    System.exit(commandLine(new ServerMain()).execute(args));
  }

  /** The command line for {@code main}, with bad arguments reported in one line. */
  static CommandLine commandLine(ServerMain main) {
    var cmd = new CommandLine(main).setParameterExceptionHandler(ServerMain::usageError);
    cmd.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    return cmd;
  }

  /** The exit codes --help lists: this class's own and each startup failure's, in order. */
  private static Map<String, String> exitCodes() {
    var codes = new LinkedHashMap<String, String>();
    codes.put(String.valueOf(OK), "stopped cleanly");
    codes.put(String.valueOf(SOFTWARE), "unexpected failure");
    codes.put(String.valueOf(USAGE), "bad command line");
    for (StartupException.Reason reason : StartupException.Reason.values()) {
      codes.put(String.valueOf(reason.exitCode()), reason.description());
    }
    codes.put(String.valueOf(FORCED_STOP), "stopped at once by a second Ctrl-C or SIGTERM");
    return codes;
  }

  /** A bad command line: one line saying what is wrong and where help is, exit code 2. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    return fail(err, USAGE, e.getMessage() + " (see --help)");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      applyConfigFile();
    } catch (StartupException e) {
      return fail(err, e.reason().exitCode(), e.getMessage());
    }
    if (generateToken != null) {
      return generateToken(out, err);
    }
    if (tlsKey != null && !tls) {
      return fail(err, USAGE, "--tls-key needs --tls");
    }
    ServerConfig config;
    try {
      config = security(config(out, err), err);
    } catch (StartupException e) {
      return fail(err, e.reason().exitCode(), e.getMessage());
    } catch (InvalidPathException e) {
      return fail(
          err,
          USAGE,
          "cannot use " + dir + " as a path here: " + e.getReason() + " (is the locale UTF-8?)");
    } catch (IllegalArgumentException e) {
      return fail(err, USAGE, e.getMessage());
    } catch (UnknownHostException e) {
      return fail(err, USAGE, "unknown --bind address: " + bind);
    }
    try (FileServer server = FileServer.start(config)) {
      // Handlers first: a script that reads the line and sends SIGTERM gets a graceful stop.
      StopSignals signals = StopSignals.install(server);
      out.println(StartupLine.of(server));
      out.flush();
      onStart.accept(server);
      server.awaitStopped();
      if (server.failure().isPresent()) {
        return fail(err, SOFTWARE, "stopped after an internal failure: " + server.failure().get());
      }
      return signals.forced() ? FORCED_STOP : OK;
    } catch (StartupException e) {
      return fail(err, e.reason().exitCode(), e.getMessage());
    } catch (Exception e) {
      return fail(err, SOFTWARE, e.toString());
    }
  }

  /**
   * Sets the options the --config file names and the command line does not. A tls-key from the file
   * needs TLS on, unless the command line turned it off (--no-tls): then the file's key goes
   * unused.
   */
  private void applyConfigFile() throws StartupException {
    if (config == null) {
      return;
    }
    ConfigFile file = ConfigFile.read(config);
    var applied = ConfigOptions.apply(file, spec.commandLine());
    ConfigFile.Entry key = applied.get("tls-key");
    if (key != null && !tls) {
      if (!spec.commandLine().getParseResult().hasMatchedOption("--tls")) {
        throw file.error(key, "tls-key needs tls = true");
      }
      tlsKey = null;
    }
  }

  private ServerConfig config(PrintWriter out, PrintWriter err) throws UnknownHostException {
    return settings(Path.of(dir).toAbsolutePath().normalize())
        .log(logFormat.open(out, err, Clock.systemUTC(), quiet))
        .build();
  }

  /**
   * The settings the options give, serving {@code root}, without the log; {@link ConfigOptions}
   * checks each file value with it.
   */
  ServerConfig.Builder settings(Path root) throws UnknownHostException {
    var builder =
        ServerConfig.builder(root)
            .port(port)
            .threads(threads)
            .queueCapacity(queue)
            .maxConnections(maxConnections)
            .maxConnectionsPerAddress(maxPerAddress)
            .maxRequestsPerConnection(maxRequests)
            .maxFrameSize(maxFrame)
            .handshakeTimeout(handshakeTimeout)
            .idleTimeout(idleTimeout)
            .requestTimeout(requestTimeout)
            .sendTimeout(sendTimeout)
            .grace(grace)
            .followSymlinks(!noSymlinks)
            .serveHidden(hidden)
            .http(!noHttp);
    if (bind != null) {
      builder.bindAddress(InetAddress.getByName(bind));
    }
    return builder;
  }

  /** Prints a new token (and writes it to the file, if one was named). */
  private int generateToken(PrintWriter out, PrintWriter err) {
    String token = TokenFile.generate();
    if (!generateToken.isEmpty()) {
      try {
        TokenFile.write(Path.of(generateToken), token, force);
      } catch (StartupException e) {
        return fail(err, e.reason().exitCode(), e.getMessage());
      }
      err.println("lanfetch-server: wrote a new token to " + generateToken + " (owner-only)");
    }
    out.println(token);
    out.flush();
    return OK;
  }

  /** Adds the token and TLS identity the command line and environment ask for. */
  private ServerConfig security(ServerConfig config, PrintWriter err) throws StartupException {
    var builder = config.toBuilder();
    String fromEnv = env.get("LANFETCH_TOKEN");
    if (tokenFile != null) {
      builder.accessToken(TokenFile.read(tokenFile));
    } else if (fromEnv != null) {
      builder.accessToken(TokenFile.fromEnvironment(fromEnv));
    }
    if (tls) {
      Path keyFile =
          tlsKey != null
              ? tlsKey
              : ServerTls.defaultKeyFile(env::get, System.getProperty("user.home"));
      boolean existed = java.nio.file.Files.exists(keyFile);
      ServerTls identity = ServerTls.loadOrCreate(keyFile);
      if (!existed) {
        err.println(
            "lanfetch-server: created a new TLS key in "
                + keyFile
                + ", fingerprint "
                + identity.fingerprint());
        err.flush();
      }
      builder.tls(identity);
    }
    return builder.build();
  }

  private static int fail(PrintWriter err, int code, String message) {
    err.println("lanfetch-server: " + message);
    err.flush();
    return code;
  }

  /**
   * Shows and applies each option's default in the form an operator types it (10s, not PT10S). The
   * defaults themselves are the fields' initial values, taken from {@link ServerConfig}, so each is
   * written once; options whose initial value needs no rendering keep picocli's own handling.
   */
  static final class OperatorForm implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      return arg.initialValue() instanceof Duration d ? seconds(d) : null;
    }

    /** Whole seconds stay in seconds (60s, not 1m), so the timeouts compare at a glance. */
    private static String seconds(Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : Durations.format(d);
    }
  }

  /** Parses --*-timeout and --grace values. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Parses --log-format case-insensitively. */
  static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a log format; use text or json");
      }
    }
  }
}
