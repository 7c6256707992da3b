package lanfetch.client;

import lanfetch.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lanfetch get}: download files by name, list, glob or tree. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
    sortOptions = false,
    description = {
        "Downloads files from a lanfetch server. Each file lands as DIR/[接收]<file name>; a tree"
            + " fetched with -r lands as DIR/[接收]<directory>/... keeping its structure.",
        "Bytes go to a hidden .part file first and are renamed into place only when complete. A cut"
            + " transfer resumes from its .part file on the next run if the server's file is unchanged.",
        ""})
final class GetCommand implements Callable<Integer> {
  static final String DEFAULT_PREFIX = "[接收]";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", converter = ServerAddress.Converter.class,
      description = "The server; port 7890 unless given; IPv6 as [::1]:7890.")
  ServerAddress server;

  @Parameters(index = "1..*", paramLabel = "NAME",
      description = "Files on the server, e.g. docs/报告.pdf; a NAME with * or ? is a glob matched"
          + " against the server's listing ('logs/*.gz', '**/*.jpg').")
  List<String> names = new ArrayList<>();

  @Option(names = {"-i", "--input"}, paramLabel = "FILE",
      description = "Read names from FILE, one per line (UTF-8; blank lines ignored); '-' reads stdin.")
  List<String> inputs = new ArrayList<>();

  @Option(names = {"-r", "--recursive"}, paramLabel = "DIR",
      description = "Download the whole directory DIR as [接收]DIR/..., keeping its structure.")
  List<String> trees = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
      description = "Where files land (created if missing; default: current directory)."
          + " '-' writes a single file to stdout.")
  String output;

  @Option(names = "--prefix", paramLabel = "P", defaultValue = DEFAULT_PREFIX,
      description = "Prefix of every local file name (default: ${DEFAULT-VALUE}; may be empty).")
  String prefix;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "4",
      description = "Parallel connections (default: ${DEFAULT-VALUE}); each pipelines its requests.")
  int jobs;

  @Option(names = {"-c", "--continue"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Resume partial files whose server file is unchanged (default). --no-continue"
          + " starts every file over.")
  boolean resume;

  @Option(names = "--verify",
      description = "Check every file against the server's SHA-256; a mismatch is an error and the"
          + " file is not kept.")
  boolean verify;

  @Mixin
  ConnectionOptions connection;
  private Settings settings;

  @ArgGroup(exclusive = true)
  Existing existing = new Existing();

  static final class Existing {
    @Option(names = "--overwrite", description = "Replace existing local files (atomically).")
    boolean overwrite;

    @Option(names = "--skip-existing", description = "Leave existing local files alone and skip them.")
    boolean skip;

    ExistingPolicy policy() {
      return overwrite ? ExistingPolicy.OVERWRITE : skip ? ExistingPolicy.SKIP : ExistingPolicy.FAIL;
    }
  }

  @Option(names = "--no-glob", description = "Take every NAME literally, even with * or ?.")
  boolean noGlob;

  @Option(names = "--json", description = "Print one JSON object per event on stdout (see README).")
  boolean json;

  @Option(names = {"-n", "--dry-run"}, description = "Show what would be downloaded and where; write nothing.")
  boolean dryRun;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no messages except errors.")
  boolean quiet;

  private final InputStream stdin;
  private final OutputStream stdout;
  private final Supplier<Interrupts> signals;
  private Interrupts interrupts;

  /** @param signals handles Ctrl-C and SIGTERM once the command runs ({@link Interrupts#install} in main) */
  GetCommand(InputStream stdin, OutputStream stdout, Supplier<Interrupts> signals) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.signals = signals;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    interrupts = signals.get();
    try {
      int exit = download();
      if (interrupts.happened()) {
        spec.commandLine().getErr().println("lanfetch: " + interruptedLine());
      }
      return exit;
    } catch (RunException e) {
      RunException r = interrupts.happened() ? new RunException(interrupts.exitCode(), interruptedLine()) : e;
      if (json) {  // scripts always get a summary line, even when the run stopped before any file
        new JsonEvents(spec.commandLine().getOut()).finished(new Summary(0, 0, 0, 0, 0, 0, r.exitCode()));
      }
      throw r;
    }
  }

  /** Stdout has no partial file: what went out stays out. */
  private String interruptedLine() {
    return "-".equals(output) ? "interrupted; the bytes already written to stdout stay written" : Interrupts.MESSAGE;
  }

  private int download() throws IOException, InterruptedException {
    validate();
    var all = new ArrayList<>(names);
    for (String input : inputs) {
      all.addAll(readList(input));
    }
    if (all.isEmpty() && trees.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "nothing to download: give NAMEs, -i FILE or -r DIR");
    }
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    JsonEvents jsonEvents = json ? new JsonEvents(out) : null;
    boolean bar = !quiet && Terminal.stderrIsTerminal();
    var human = new HumanEvents(err, quiet, bar ? () -> ProgressEvents.clearLine(err) : () -> {});
    Events planning = jsonEvents == null ? human : Events.all(jsonEvents, human);
    if (output.equals("-")) {
      return toStdout(all, planning, bar);
    }
    var layout = new LocalLayout(Path.of(output), prefix);
    Plan plan;
    try (var lister = new RemoteLister(settings())) {
      interrupts.onStop(lister::close);
      plan = new Planner(layout, planning, !noGlob, lister).plan(all, trees);
      if (dryRun) {
        return printPlan(DryRun.withSizes(plan, lister, planning), jsonEvents);
      }
    }
    createOutputDirectory(layout.outputDir());
    // The bar goes first so that it is closed before the summary line is printed below it.
    Events events = bar ? Events.all(progress(plan), planning) : planning;
    events.planned(plan.targets().size(), plan.targets().stream().mapToLong(t -> Math.max(0, t.knownSize())).sum());
    var downloader = new Downloader(settings(), layout.outputDir(), events);
    interrupts.onStop(() -> downloader.interrupt(interrupts.interruption()));
    return downloader.run(plan).exitCode();
  }

  private void validate() {
    if (jobs < 1 || jobs > 64) {
      throw new ParameterException(spec.commandLine(), "--jobs must be between 1 and 64, not " + jobs);
    }
    if (prefix.contains("/") || prefix.contains("\\") || prefix.contains("\0")) {
      throw new ParameterException(spec.commandLine(), "--prefix must not contain / or \\");
    }
    if (output.equals("-") && (json || !trees.isEmpty() || names.size() + inputs.size() != 1
        || (!noGlob && Glob.isPattern(names.isEmpty() ? "" : names.get(0))))) {
      throw new ParameterException(spec.commandLine(),
          "-o - writes exactly one file to stdout: give one literal NAME, without -r or --json");
    }
  }

  /** One Settings per run, so listing and downloading share one TLS trust and its notices. */
  Settings settings() throws RunException {
    if (settings == null) {
      settings = connection.settings(server, jobs, verify, resume, existing.policy());
    }
    return settings;
  }

  private int toStdout(List<String> all, Events events, boolean bar)
      throws InterruptedException, RunException {
    if (all.size() != 1) {
      throw new ParameterException(spec.commandLine(), "-o - writes exactly one file to stdout, not " + all.size());
    }
    if (dryRun) {
      spec.commandLine().getOut().println(all.get(0) + " -> stdout");
      return ExitCodes.OK;
    }
    Events withBar = bar ? Events.all(new ProgressEvents(true, all.get(0)), events) : events;
    var download = new StdoutDownload(settings(), all.get(0), stdout, withBar);
    interrupts.onStop(() -> download.interrupt(interrupts.interruption()));
    return download.run().exitCode();
  }

  private ProgressEvents progress(Plan plan) {
    boolean single = plan.targets().size() == 1;
    return new ProgressEvents(single, single ? plan.targets().get(0).name() : "");
  }

  private int printPlan(Plan plan, JsonEvents jsonEvents) {
    var out = spec.commandLine().getOut();
    for (Target t : plan.targets()) {
      if (jsonEvents != null) {
        jsonEvents.plan(t);
      } else {
        String size = t.knownSize() < 0 ? "" : " (" + Units.bytes(t.knownSize()) + ")";
        String exists = PartFile.exists(t.destination()) ? " [exists]" : "";
        out.println(Names.escapeUnsafe(t.name() + " -> " + t.destination() + size + exists));
      }
    }
    out.flush();
    return plan.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }

  private static void createOutputDirectory(Path dir) throws RunException {
    try {
      if (!Files.isDirectory(dir)) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw new RunException(ExitCodes.LOCAL, "output directory " + dir + " is not a directory");
        }
        Files.createDirectories(dir);
      }
    } catch (RunException e) {
      throw e;
    } catch (IOException e) {
      throw new RunException(ExitCodes.LOCAL, "cannot create output directory: " + Failures.describe(e));
    }
  }

  /** Names from a list file, one per line; the file must be UTF-8, like the names. */
  private List<String> readList(String input) throws RunException {
    byte[] bytes;
    try {
      bytes = input.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(input));
    } catch (IOException e) {
      throw new RunException(ExitCodes.LOCAL, "cannot read list " + input + ": " + Failures.describe(e));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new RunException(ExitCodes.LOCAL, "list " + input + " is not valid UTF-8");
    }
    var result = new ArrayList<String>();
    for (String line : text.split("\n")) {
      String name = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (!name.isBlank()) {
        result.add(name);
      }
    }
    return result;
  }
}
