package lanfetch.client.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lanfetch.client.testing.TestJson;
import picocli.CommandLine;

/** Runs the lanfetch command line in-process, capturing stdout, stderr and raw stdout bytes. */
final class Cli {
  record Result(int exit, String out, String err, byte[] raw) {
    List<Map<String, Object>> json() {
      var list = new ArrayList<Map<String, Object>>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          list.add(TestJson.parseObject(line));
        }
      }
      return list;
    }

    List<Map<String, Object>> events(String event) {
      return json().stream().filter(m -> event.equals(m.get("event"))).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
  }

  static Result run(String... args) {
    return runWithInput("", args);
  }

  static Result runWithInput(String stdin, String... args) {
    var raw = new ByteArrayOutputStream();
    CommandLine cmd =
        ClientMain.commandLine(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), raw, args);
    var out = new StringWriter();
    var err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Result(exit, out.toString(), err.toString(), raw.toByteArray());
  }

  private Cli() {}
}
