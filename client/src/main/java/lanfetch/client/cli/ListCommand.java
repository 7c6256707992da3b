package lanfetch.client.cli;

import static lanfetch.client.cli.CommandSpecs.flag;
import static lanfetch.client.cli.CommandSpecs.isSet;
import static lanfetch.client.cli.CommandSpecs.positional;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ExitCodes;
import lanfetch.client.FileFailure;
import lanfetch.client.output.Json;
import lanfetch.client.plan.Planner;
import lanfetch.client.plan.RemoteLister;
import lanfetch.protocol.Entry;
import lanfetch.protocol.Names;
import lanfetch.protocol.PeerText;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code lanfetch list}: what a server offers. */
final class ListCommand implements Callable<Integer> {
  /**
   * ISO 8601's year, not the era's: year 0 is 0000 (not 0001 "BC"), and years beyond 9999 or below
   * 0 carry their sign, as {@code --json}'s {@link Instant#toString} does.
   */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

  final CommandSpec spec =
      CommandSpecs.command(
          this,
          "list",
          "Lists a directory on a lanfetch server: modification time, size and name",
          "(directories end in /). Names are the server's whole names, relative to the served root,"
              + " so they can be handed to get as they are. Names the client would refuse to download"
              + " are reported, not shown.");
  private final PositionalParamSpec server = CommandSpecs.serverAddress();
  private final PositionalParamSpec directory =
      positional("1")
          .paramLabel("DIR")
          .arity("0..1")
          .type(String.class)
          .defaultValue("")
          .description("The directory to list (default: the served root).")
          .build();
  private final OptionSpec recursive =
      flag("-r", "--recursive").description("List everything below DIR.").build();
  private final OptionSpec json =
      flag("--json").description("One JSON object per entry on stdout.").build();
  final ConnectionOptions connection = new ConnectionOptions();

  ListCommand() {
    spec.addPositional(server);
    spec.addPositional(directory);
    spec.addOption(recursive);
    spec.addOption(json);
    connection.addTo(spec);
    CommandSpecs.withStandardHelp(spec);
    spec.usageMessage()
        .footer(
            "",
            "Examples:",
            "  lanfetch list nas                  # the served root",
            "  lanfetch list nas docs -r          # everything below docs, as docs/...",
            "  lanfetch list nas logs --json | jq -r .name");
  }

  @Override
  public Integer call() throws Exception {
    if (directory.<String>getValue().indexOf('?') >= 0) {
      GetCommand.checkLocaleIsUtf8(
          System.getProperty("sun.jnu.encoding", "UTF-8")); // "??" may be 报告
    }
    String dir = Planner.asked(directory.getValue());
    var settings = connection.settings(server.getValue(), 1, false, false, ExistingPolicy.FAIL);
    List<Entry> entries;
    try (var lister = new RemoteLister(settings)) {
      entries = lister.list(dir, isSet(recursive));
    } catch (FileFailure f) {
      spec.commandLine()
          .getErr()
          .println(
              PeerText.escape(
                  "lanfetch: "
                      + PeerText.quote(dir.isEmpty() ? "/" : dir)
                      + ": "
                      + f.getMessage()));
      return ExitCodes.SOME_FAILED;
    }
    entries.sort(Comparator.comparing(Entry::name));
    return print(dir, entries, isSet(json));
  }

  private int print(String dir, List<Entry> entries, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int refused = 0;
    for (Entry e : entries) {
      String name = Names.join(dir, e.name());
      if (!Names.isValid(name)) {
        refused++;
        err.println(
            PeerText.escape(
                "lanfetch: the server listed an invalid name "
                    + PeerText.quote(e.name())
                    + "; not shown"));
      } else if (json) {
        out.println(
            Json.object()
                .put("name", name)
                .put("type", e.isFile() ? "file" : "directory")
                .put("size", e.size())
                .put("mtime_ms", e.modifiedMillis())
                .put("mtime", Instant.ofEpochMilli(e.modifiedMillis()).toString()));
      } else {
        String size = e.isFile() ? String.valueOf(e.size()) : "-";
        String time =
            TIME.format(Instant.ofEpochMilli(e.modifiedMillis()).atZone(ZoneId.systemDefault()));
        out.printf(
            Locale.ROOT,
            "%s %14s  %s%s%n",
            time,
            size,
            PeerText.escape(name),
            e.isDirectory() ? "/" : "");
      }
    }
    out.flush();
    return refused > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }
}
