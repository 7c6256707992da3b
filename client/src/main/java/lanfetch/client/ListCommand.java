package lanfetch.client;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import lanfetch.protocol.Entry;
import lanfetch.protocol.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lanfetch list}: what a server offers. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
    sortOptions = false,
    description = {"Lists a directory on a lanfetch server: modification time, size and name",
        "(directories end in /). Names the client would refuse to download are reported, not shown."})
final class ListCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", converter = ServerAddress.Converter.class,
      description = "The server; port 7890 unless given; IPv6 as [::1]:7890.")
  ServerAddress server;

  @Parameters(index = "1", paramLabel = "DIR", arity = "0..1", defaultValue = "",
      description = "The directory to list (default: the served root).")
  String directory;

  @Option(names = {"-r", "--recursive"}, description = "List everything below DIR.")
  boolean recursive;

  @Option(names = "--json", description = "One JSON object per entry on stdout.")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    String dir = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
    var settings = connection.settings(server, 1, false, false, ExistingPolicy.FAIL);
    List<Entry> entries;
    try (var lister = new RemoteLister(settings)) {
      entries = lister.list(dir, recursive);
    } catch (FileFailure f) {
      spec.commandLine().getErr().println(Names.escapeUnsafe("lanfetch: " + Names.quote(dir.isEmpty() ? "/" : dir) + ": "
          + f.getMessage()));
      return ExitCodes.SOME_FAILED;
    }
    entries.sort(Comparator.comparing(Entry::name));
    return print(dir, entries);
  }

  private int print(String dir, List<Entry> entries) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int refused = 0;
    for (Entry e : entries) {
      if (!Names.isValid(Names.join(dir, e.name()))) {
        refused++;
        err.println(Names.escapeUnsafe("lanfetch: the server listed an invalid name " + Names.quote(e.name()) + "; not shown"));
      } else if (json) {
        out.println(Json.object().put("name", e.name()).put("type", e.isFile() ? "file" : "directory")
            .put("size", e.size()).put("mtime_ms", e.modifiedMillis())
            .put("mtime", Instant.ofEpochMilli(e.modifiedMillis()).toString()));
      } else {
        String size = e.isFile() ? String.valueOf(e.size()) : "-";
        String time = TIME.format(Instant.ofEpochMilli(e.modifiedMillis()).atZone(ZoneId.systemDefault()));
        out.printf("%s %14s  %s%s%n", time, size, Names.escapeUnsafe(e.name()), e.isDirectory() ? "/" : "");
      }
    }
    out.flush();
    return refused > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }
}
