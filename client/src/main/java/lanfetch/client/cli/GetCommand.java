package lanfetch.client.cli;

import static lanfetch.client.cli.CommandSpecs.flag;
import static lanfetch.client.cli.CommandSpecs.isSet;
import static lanfetch.client.cli.CommandSpecs.option;
import static lanfetch.client.cli.CommandSpecs.positional;
import static lanfetch.client.cli.CommandSpecs.values;

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
import lanfetch.client.Events;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.RunException;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.client.Units;
import lanfetch.client.landing.Landing;
import lanfetch.client.landing.PartFile;
import lanfetch.client.mirror.Comparison;
import lanfetch.client.mirror.DirectoryTimes;
import lanfetch.client.mirror.MirrorEvents;
import lanfetch.client.mirror.Pruner;
import lanfetch.client.output.HumanEvents;
import lanfetch.client.output.JsonEvents;
import lanfetch.client.output.ProgressEvents;
import lanfetch.client.output.Screen;
import lanfetch.client.plan.DryRun;
import lanfetch.client.plan.Glob;
import lanfetch.client.plan.LocalLayout;
import lanfetch.client.plan.Plan;
import lanfetch.client.plan.Planner;
import lanfetch.client.plan.RemoteLister;
import lanfetch.client.transfer.BatchDownload;
import lanfetch.client.transfer.StdoutDownload;
import lanfetch.protocol.PeerText;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code lanfetch get}: download files by name, list, glob or tree. */
public final class GetCommand implements Callable<Integer> {
  public static final String DEFAULT_PREFIX = "[接收]";

  final CommandSpec spec =
      CommandSpecs.command(
          this,
          "get",
          "Downloads files from a lanfetch server. Each file lands as DIR/[接收]<file name>; with -x,"
              + " and for globs with **, as DIR/[接收]<its whole server name>; a tree fetched with -r"
              + " lands as DIR/[接收]<directory>/... keeping its structure.",
          "Bytes go to a hidden .part file first and are renamed into place only when complete. A cut"
              + " transfer resumes from its .part file on the next run if the server's file is unchanged.",
          "");

  private final PositionalParamSpec server = CommandSpecs.serverAddress();
  private final PositionalParamSpec names =
      positional("1..*")
          .arity("0..*")
          .paramLabel("NAME")
          .type(List.class)
          .auxiliaryTypes(String.class)
          .description(
              "Files on the server, e.g. docs/报告.pdf; a NAME with * or ? is a glob matched"
                  + " against the server's listing ('logs/*.gz', '**/*.jpg').")
          .build();
  private final OptionSpec inputs =
      option("-i", "--input")
          .paramLabel("FILE")
          .type(List.class)
          .auxiliaryTypes(String.class)
          .description(
              "Read names from FILE, one per line (UTF-8; blank lines ignored); '-' reads stdin.")
          .build();
  private final OptionSpec trees =
      option("-r", "--recursive")
          .paramLabel("DIR")
          .type(List.class)
          .auxiliaryTypes(String.class)
          .description(
              "Download the whole directory DIR as [接收]DIR/..., keeping its structure;"
                  + " -r . (or /) fetches the whole share, each top-level entry as [接收]<entry>/....")
          .build();
  private final OptionSpec keepPaths =
      flag("-x", "--keep-paths")
          .description(
              "Keep server paths: docs/x lands as [接收]docs/x rather than [接收]x. Globs"
                  + " with ** (or a wildcard in a directory) keep paths anyway.")
          .build();
  private final OptionSpec output =
      option("-o", "--output")
          .paramLabel("DIR")
          .type(String.class)
          .defaultValue(".")
          .description(
              "Where files land (created if missing; default: current directory)."
                  + " '-' writes a single file to stdout.")
          .build();
  private final OptionSpec prefix =
      option("--prefix")
          .paramLabel("P")
          .type(String.class)
          .defaultValue(DEFAULT_PREFIX)
          .description("Prefix of every local file name (default: ${DEFAULT-VALUE}; may be empty).")
          .build();
  private final OptionSpec jobs =
      option("-j", "--jobs")
          .paramLabel("N")
          .type(int.class)
          .defaultValue("4")
          .description(
              "Parallel connections (default: ${DEFAULT-VALUE}); each pipelines its requests.")
          .build();
  private final OptionSpec resume =
      flag("-c", "--continue")
          .negatable(true)
          .defaultValue("true")
          .fallbackValue("true")
          .description(
              "Resume partial files whose server file is unchanged (default). --no-continue"
                  + " starts every file over.")
          .build();
  private final OptionSpec verify =
      flag("--verify")
          .description(
              "Check every file against the server's SHA-256; a mismatch is an error and the"
                  + " file is not kept.")
          .build();
  final ConnectionOptions connection = new ConnectionOptions();
  private final OptionSpec overwrite =
      flag("--overwrite").description("Replace existing local files (atomically).").build();
  private final OptionSpec skipExisting =
      flag("--skip-existing")
          .description("Leave existing local files alone and skip them.")
          .build();
  private final OptionSpec update =
      flag("--update")
          .description(
              "Mirror: fetch only files whose local copy differs from the server's in size or"
                  + " modification time, replacing the old copy atomically once the new one is"
                  + " complete; leave the others alone (reported as unchanged).")
          .build();
  private final OptionSpec checksum =
      flag("--checksum")
          .description(
              "With --update: a local copy of the server's size is unchanged when its SHA-256 is the"
                  + " server's, whatever its time (for file systems whose times cannot be trusted).")
          .build();
  private final OptionSpec delete =
      flag("--delete")
          .description(
              "With -r and --update: once every file is in, remove local files and directories"
                  + " under the tree's destination that the server no longer has. Skipped if anything"
                  + " failed; never follows a symbolic link.")
          .build();
  private final OptionSpec times =
      flag("--times")
          .negatable(true)
          .defaultValue("true")
          .fallbackValue("true")
          .description(
              "Give files, and directories of -r trees, the server's modification times (default);"
                  + " --no-times keeps the time they landed.")
          .build();
  private final OptionSpec noGlob =
      flag("--no-glob").description("Take every NAME literally, even with * or ?.").build();
  private final OptionSpec json =
      flag("--json").description("Print one JSON object per event on stdout (see README).").build();
  private final OptionSpec dryRun =
      flag("-n", "--dry-run")
          .description("Show what would be downloaded and where; write nothing.")
          .build();

  /** No short name: curl's -f means --fail, and a letter would be typed by habit. */
  private final OptionSpec forceTerminal =
      flag("--force-terminal")
          .description("With -o -, write the file to stdout even when stdout is a terminal.")
          .build();

  private final OptionSpec quiet =
      flag("-q", "--quiet").description("No progress bar and no messages except errors.").build();

  private Settings settings;
  private Request request;

  /** What the command line asked for, read from the parsed options once per run. */
  private record Request(
      ServerAddress server,
      List<String> names,
      List<String> inputs,
      List<String> trees,
      String output,
      String prefix,
      int jobs,
      boolean resume,
      boolean verify,
      ExistingPolicy existing,
      boolean noGlob,
      boolean json,
      boolean dryRun,
      boolean quiet,
      boolean keepPaths,
      boolean forceTerminal,
      boolean update,
      boolean checksum,
      boolean delete,
      boolean times) {}

  private Request parsed() {
    ExistingPolicy existing =
        isSet(overwrite)
            ? ExistingPolicy.OVERWRITE
            : isSet(skipExisting) ? ExistingPolicy.SKIP : ExistingPolicy.FAIL;
    return new Request(
        server.getValue(),
        values(names),
        values(inputs),
        values(trees),
        output.getValue(),
        prefix.getValue(),
        jobs.getValue(),
        isSet(resume),
        isSet(verify),
        existing,
        isSet(noGlob),
        isSet(json),
        isSet(dryRun),
        isSet(quiet),
        isSet(keepPaths),
        isSet(forceTerminal),
        isSet(update),
        isSet(checksum),
        isSet(delete),
        isSet(times));
  }

  private final InputStream stdin;
  private final OutputStream stdout;
  private final boolean handleSignals;
  private Interrupts interrupts;

  /**
   * @param handleSignals whether the command handles Ctrl-C and SIGTERM once it runs ({@link
   *     Interrupts#install}, in main), rather than leaving them to the JVM (tests, library use)
   */
  GetCommand(InputStream stdin, OutputStream stdout, boolean handleSignals) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.handleSignals = handleSignals;
    spec.addPositional(server);
    spec.addPositional(names);
    for (OptionSpec o : List.of(inputs, trees, keepPaths, output, prefix, jobs, resume, verify)) {
      spec.addOption(o);
    }
    connection.addTo(spec);
    spec.addArgGroup(
        ArgGroupSpec.builder()
            .exclusive(true)
            .multiplicity("0..1")
            .addArg(overwrite)
            .addArg(skipExisting)
            .addArg(update)
            .build());
    for (OptionSpec o :
        List.of(checksum, delete, times, noGlob, json, dryRun, forceTerminal, quiet)) {
      spec.addOption(o);
    }
    CommandSpecs.withStandardHelp(spec);
    spec.usageMessage()
        .footer(
            "",
            "Examples:",
            "  lanfetch get nas docs/report.pdf -o ~/Downloads",
            "  lanfetch get nas '**/*.jpg' -j 8     # keeps paths: [接收]photos/...",
            "  lanfetch get nas -r builds -o /srv/mirror --update --delete   # a mirror");
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    interrupts = handleSignals ? Interrupts.install() : Interrupts.none();
    request = parsed();
    try {
      int exit = download();
      if (interrupts.happened()) {
        spec.commandLine().getErr().println("lanfetch: " + interruptedLine());
      }
      return exit;
    } catch (RunException e) {
      RunException r =
          interrupts.happened() ? new RunException(interrupts.exitCode(), interruptedLine()) : e;
      if (request
          .json()) { // scripts always get a summary line, even when the run stopped before any file
        new JsonEvents(spec.commandLine().getOut())
            .finished(new Summary(0, 0, 0, 0, 0, 0, r.exitCode()));
      }
      throw r;
    }
  }

  /** Stdout has no partial file: what went out stays out. */
  private String interruptedLine() {
    return "-".equals(request.output())
        ? "interrupted; the bytes already written to stdout stay written"
        : Interrupts.MESSAGE;
  }

  private int download() throws IOException, InterruptedException {
    validate();
    checkLocaleIsUtf8(System.getProperty("sun.jnu.encoding", "UTF-8"));
    var all = new ArrayList<>(request.names());
    for (String input : request.inputs()) {
      all.addAll(readList(input));
    }
    if (all.isEmpty() && request.trees().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "nothing to download: give NAMEs, -i FILE or -r DIR");
    }
    ProgressEvents bar = !request.quiet() && Terminal.stderrIsTerminal() ? progressBar() : null;
    try {
      return download(all, bar);
    } finally {
      if (bar != null) {
        bar.abandon(); // a run that stopped early erases its bar before the error is printed
      }
    }
  }

  /**
   * With a bar, every line for stderr (ours, retry and TLS notices alike) and every --json line for
   * stdout goes through one {@link Screen}, which prints it above the bar.
   */
  private ProgressEvents progressBar() {
    var screen = new Screen(spec.commandLine().getErr());
    spec.commandLine().setOut(screen.above(spec.commandLine().getOut()));
    spec.commandLine().setErr(screen.above(spec.commandLine().getErr()));
    return new ProgressEvents(screen, request.server().host(), Terminal.columns()).start();
  }

  private int download(List<String> all, ProgressEvents bar)
      throws IOException, InterruptedException {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    JsonEvents jsonEvents = request.json() ? new JsonEvents(out) : null;
    var human =
        new HumanEvents(err, request.quiet(), !request.json() && !request.output().equals("-"));
    Events messages = jsonEvents == null ? human : Events.all(jsonEvents, human);
    // The bar goes first so that it is closed before the summary line is printed below it.
    Events planning = bar == null ? messages : Events.all(bar, messages);
    if (request.output().equals("-")) {
      return toStdout(all, planning);
    }
    var layout = new LocalLayout(Path.of(request.output()), request.prefix());
    if (!request.dryRun()) {
      checkWritable(layout.outputDir()); // before the server is asked anything
    }
    long start = System.nanoTime();
    Plan plan;
    try (var lister = new RemoteLister(settings())) {
      interrupts.onStop(lister::close);
      plan =
          new Planner(layout, planning, !request.noGlob(), request.keepPaths(), lister)
              .plan(all, request.trees());
      if (request.update()) {
        plan = DryRun.withSizes(plan, lister, planning);
        var compared =
            Comparison.compare(
                plan,
                planning,
                lister,
                request.checksum(),
                request.delete(),
                request.times(),
                !request.dryRun());
        return new MirrorRun(layout, plan, compared, planning, jsonEvents, lister, start).run();
      } else if (request.dryRun()) {
        return printPlan(DryRun.withSizes(plan, lister, planning), jsonEvents);
      } else if (request.times()) {
        plan = DryRun.withTreeTimes(plan, lister);
      }
    }
    createOutputDirectory(layout.outputDir());
    Events events = planning;
    events.planned(
        plan.targets().size(),
        plan.targets().stream().mapToLong(t -> Math.max(0, t.knownSize())).sum());
    var landing =
        new Landing(
            layout.outputDir(), settings().existing(), settings().resume(), request.times());
    var downloader = new BatchDownload(settings(), landing, events);
    interrupts.onStop(() -> downloader.interrupt(interrupts.interruption()));
    int exit = downloader.run(plan).exitCode();
    if (request.times() && !interrupts.happened()) {
      DirectoryTimes.apply(plan, layout.outputDir());
    }
    return exit;
  }

  /**
   * An {@code --update} run, once the plan is compared with the local copies: clear what stands in
   * the way, fetch what changed, then (after a clean transfer) {@code --delete}, and directory
   * times last. With {@code --dry-run}, says what each step would do instead.
   */
  private final class MirrorRun {
    private final LocalLayout layout;
    private final Plan plan;
    private final Comparison.Result compared;
    private final Events planning;
    private final JsonEvents json;
    private final RemoteLister lister;
    private final long start;

    MirrorRun(
        LocalLayout layout,
        Plan plan,
        Comparison.Result compared,
        Events planning,
        JsonEvents json,
        RemoteLister lister,
        long start) {
      this.layout = layout;
      this.plan = plan;
      this.compared = compared;
      this.planning = planning;
      this.json = json;
      this.lister = lister;
      this.start = start;
    }

    int run() throws IOException, InterruptedException {
      if (request.dryRun()) {
        return dryRun();
      }
      createOutputDirectory(layout.outputDir());
      var events = new MirrorEvents(planning, compared.replacing());
      var pruner = new Pruner(layout.outputDir(), plan, request.prefix(), events, false);
      compared.obstacles().forEach(pruner::clear);
      Plan fetch = compared.toFetch();
      events.planned(
          fetch.targets().size(),
          fetch.targets().stream().mapToLong(t -> Math.max(0, t.knownSize())).sum());
      var landing =
          new Landing(
              layout.outputDir(), ExistingPolicy.OVERWRITE, settings().resume(), request.times());
      var downloader = new BatchDownload(settings(), landing, events);
      interrupts.onStop(() -> downloader.interrupt(interrupts.interruption()));
      Summary transfer = downloader.run(fetch);
      int exit = transfer.exitCode();
      if (!interrupts.happened()) {
        if (request.delete()) {
          deleteOrSay(transfer.failed() + pruner.failed(), pruner);
        }
        if (request.times()) {
          directoryTimes(transfer.done() + pruner.deleted() > 0);
        }
      }
      if (exit == ExitCodes.OK && pruner.failed() > 0) {
        exit = ExitCodes.SOME_FAILED;
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      events.finish(compared.unchanged().size(), pruner.deleted(), pruner.failed(), millis, exit);
      return exit;
    }

    /**
     * Directories get the server's times. A tree's own directory is not in its listing: its time is
     * asked for only when something in the tree changed here, so a run with nothing to do costs the
     * one listing and nothing more.
     */
    private void directoryTimes(boolean changed) throws IOException, InterruptedException {
      Plan timed = plan;
      if (changed) {
        try {
          timed = DryRun.withTreeTimes(plan, lister);
        } catch (RunException e) {
          // The files are in place; only the trees' own times are missing.
        }
      }
      DirectoryTimes.apply(timed, layout.outputDir());
    }

    /** --delete only after a run in which nothing failed, as rsync after an I/O error. */
    private void deleteOrSay(int failures, Pruner pruner) {
      if (failures > 0) {
        spec.commandLine()
            .getErr()
            .println(
                "lanfetch: --delete skipped: "
                    + failures
                    + (failures == 1 ? " file" : " files")
                    + " failed in this run, so the listing may not be the whole truth;"
                    + " nothing was deleted");
        spec.commandLine().getErr().flush();
        return;
      }
      pruner.prune(plan.trees());
    }

    /** What would be fetched, replaced and deleted; nothing is touched. */
    private int dryRun() {
      var out = spec.commandLine().getOut();
      Plan fetch = compared.toFetch();
      Events deletions =
          new Events() {
            @Override
            public void started(Target target, long size, long offset) {}

            @Override
            public void done(Target target, lanfetch.client.Done done) {}

            @Override
            public void skipped(Target target, String reason) {}

            @Override
            public void failed(String name, Path destination, lanfetch.client.FileFailure f) {
              planning.failed(name, destination, f);
            }

            @Override
            public void finished(Summary summary) {}

            @Override
            public void deleted(Path path, boolean directory) {
              if (json != null) {
                json.planDelete(path, directory);
              } else {
                out.println(PeerText.escape("delete " + path + (directory ? "/" : "")));
              }
            }
          };
      var pruner = new Pruner(layout.outputDir(), plan, request.prefix(), deletions, true);
      compared.obstacles().forEach(pruner::clear);
      for (Target t : fetch.targets()) {
        boolean replace = compared.replacing().contains(t.name());
        if (json != null) {
          json.plan(t, replace ? "replace" : "fetch");
        } else {
          String size = t.knownSize() < 0 ? "" : " (" + Units.bytes(t.knownSize()) + ")";
          out.println(
              PeerText.escape(
                  t.name() + " -> " + t.destination() + size + (replace ? " [replace]" : "")));
        }
      }
      if (request.delete()) {
        if (fetch.failed() > 0) {
          spec.commandLine()
              .getErr()
              .println("lanfetch: --delete would be skipped: a listing or a name failed");
        } else {
          pruner.prune(plan.trees());
        }
      }
      out.flush();
      return fetch.failed() + pruner.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
  }

  private void validate() {
    if (request.jobs() < 1 || request.jobs() > 64) {
      throw new ParameterException(
          spec.commandLine(), "--jobs must be between 1 and 64, not " + request.jobs());
    }
    if (request.prefix().contains("/")
        || request.prefix().contains("\\")
        || request.prefix().contains("\0")) {
      throw new ParameterException(spec.commandLine(), "--prefix must not contain / or \\");
    }
    Request r = request;
    if (r.checksum() && !r.update()) {
      throw new ParameterException(
          spec.commandLine(), "--checksum decides what --update fetches: add --update");
    }
    if (r.delete() && (!r.update() || r.trees().isEmpty())) {
      throw new ParameterException(
          spec.commandLine(),
          "--delete removes what the server no longer has under a tree: use it with -r DIR and"
              + " --update");
    }
    if (r.output().equals("-") && r.update()) {
      throw new ParameterException(
          spec.commandLine(), "--update compares local copies: it cannot write to stdout (-o -)");
    }
    if (r.output().equals("-")
        && (r.json()
            || !r.trees().isEmpty()
            || r.names().size() + r.inputs().size() != 1
            || (!r.noGlob() && Glob.isPattern(r.names().isEmpty() ? "" : r.names().get(0))))) {
      throw new ParameterException(
          spec.commandLine(),
          "-o - writes exactly one file to stdout: give one literal NAME, without -r or --json");
    }
    if (r.output().equals("-")
        && !r.dryRun()
        && !r.forceTerminal()
        && Terminal.stdoutIsTerminal()) {
      throw new ParameterException(
          spec.commandLine(),
          "-o - would write the file's bytes onto the terminal:"
              + " redirect stdout (> FILE or | COMMAND), or add --force-terminal to see them anyway");
    }
  }

  /**
   * Java names local files, and decodes its command line, in the charset of the locale it started
   * under ({@code sun.jnu.encoding}), fixed for the life of the JVM. Under C or POSIX that is
   * ASCII: the default prefix [接收] cannot be a file name, and a Chinese NAME arrives as "??".
   * Rather than fail every file, the run stops at once and says how to start it. Windows names
   * files in UTF-16 whatever the charset, and macOS always in UTF-8.
   */
  static void checkLocaleIsUtf8(String charset) throws RunException {
    boolean utf8 = charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8");
    if (!utf8 && java.nio.file.FileSystems.getDefault().getSeparator().equals("/")) {
      throw new RunException(
          ExitCodes.LOCAL,
          "Java was started under a "
              + charset
              + " locale, in which it"
              + " cannot name files such as [接收]报告.pdf: run lanfetch through bin/lanfetch, which sets a UTF-8"
              + " locale, or set LC_ALL=C.UTF-8 before java -jar");
    }
  }

  /** One Settings per run, so listing and downloading share one TLS trust and its notices. */
  Settings settings() throws RunException {
    if (settings == null) {
      settings =
          connection.settings(
              request.server(),
              request.jobs(),
              request.verify(),
              request.resume(),
              request.existing(),
              request.quiet());
    }
    return settings;
  }

  private int toStdout(List<String> all, Events events) throws InterruptedException, RunException {
    if (all.size() != 1) {
      throw new ParameterException(
          spec.commandLine(), "-o - writes exactly one file to stdout, not " + all.size());
    }
    if (request.dryRun()) {
      spec.commandLine().getOut().println(all.get(0) + " -> stdout");
      return ExitCodes.OK;
    }
    String name = Planner.asked(all.get(0));
    var download = new StdoutDownload(settings(), name, stdout, events);
    interrupts.onStop(() -> download.interrupt(interrupts.interruption()));
    return download.run().exitCode();
  }

  private int printPlan(Plan plan, JsonEvents jsonEvents) {
    var out = spec.commandLine().getOut();
    for (Target t : plan.targets()) {
      boolean exists = PartFile.exists(t.destination());
      if (jsonEvents != null) {
        jsonEvents.plan(t, exists);
      } else {
        String size = t.knownSize() < 0 ? "" : " (" + Units.bytes(t.knownSize()) + ")";
        out.println(
            PeerText.escape(
                t.name() + " -> " + t.destination() + size + (exists ? " [exists]" : "")));
      }
    }
    out.flush();
    return plan.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }

  private static void createOutputDirectory(Path dir) throws RunException {
    try {
      if (!Files.isDirectory(dir)) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw new RunException(
              ExitCodes.LOCAL, "output directory " + dir + " is not a directory");
        }
        Files.createDirectories(dir);
      }
    } catch (RunException e) {
      throw e;
    } catch (IOException e) {
      throw new RunException(
          ExitCodes.LOCAL, "cannot create output directory: " + Failures.describe(e));
    }
  }

  /**
   * Refuses an output directory this user cannot create files in (or, if it is still to be made,
   * whose nearest existing parent it cannot be made in), before anything else is attempted:
   * otherwise every file would fail on its own, each with its part's name. One access(2) per
   * permission; root passes as the OS would let it.
   */
  private static void checkWritable(Path dir) throws RunException {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      return; // creating it fails with its own message
    }
    String missing =
        !Files.isWritable(existing) ? "write" : !Files.isExecutable(existing) ? "search (x)" : null;
    if (missing != null) {
      String where = existing.equals(dir.toAbsolutePath()) ? "" : " " + existing;
      throw new RunException(
          ExitCodes.LOCAL,
          "cannot download into "
              + dir
              + ": permission denied (no "
              + missing
              + " permission on the directory"
              + where
              + ")");
    }
  }

  /** Names from a list file, one per line; the file must be UTF-8, like the names. */
  private List<String> readList(String input) throws RunException {
    byte[] bytes;
    try {
      bytes = input.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(input));
    } catch (IOException e) {
      throw new RunException(
          ExitCodes.LOCAL, "cannot read list " + input + ": " + Failures.describe(e));
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
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
