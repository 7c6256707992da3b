package lanfetch.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.PeerText;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListCommandTest extends FakeServerTest {

  @BeforeEach
  void start() {
    server.put("a.txt", "hello".getBytes(UTF_8)).put("docs/报告.pdf", new byte[1234]);
  }

  @Test
  void listsNamesSizesAndTimes() {
    var r = Cli.run("list", server.address());
    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r::toString);
    assertTrue(
        lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +5  a\\.txt"),
        lines.get(0));
    assertTrue(lines.get(1).endsWith("-  docs/"), lines.get(1));
  }

  @Test
  void recursiveJson() {
    var r = Cli.run("list", server.address(), "docs", "-r", "--json");
    assertEquals(0, r.exit(), r::toString);
    var entry = r.json().get(0);
    assertEquals(
        "docs/报告.pdf", entry.get("name"), "relative to the served root, as README shows it");
    assertEquals("file", entry.get("type"));
    assertEquals(1234L, entry.get("size"));
    assertEquals("2026-11-22T00:00:00Z", entry.get("mtime"));
  }

  @Test
  void invalidNamesAreReportedNotShown() {
    server.lieInListings(new Entry(EntryKind.FILE, 1, 0, "../../etc/passwd"));
    var r = Cli.run("list", server.address());
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().contains("invalid name \"../../etc/passwd\""), r::toString);
    assertTrue(!r.out().contains("passwd"), r::toString);
  }

  @Test
  void spoofingCharactersAreEscapedInHumanAndJsonOutput() {
    server.put("evil\u202Etxt.exe", new byte[1]).put("line\u2028two\u0085\u2066.txt", new byte[1]);
    var r = Cli.run("list", server.address());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("  evil\\u202Etxt.exe\n"), r::toString);
    assertTrue(r.out().contains("  line\\u2028two\\u0085\\u2066.txt\n"), r::toString);
    var json = Cli.run("list", server.address(), "--json");
    assertTrue(json.out().contains("\"evil\\u202etxt.exe\""), json::toString);
    assertTrue(json.out().contains("\"line\\u2028two\\u0085\\u2066.txt\""), json::toString);
    assertTrue(
        json.json().stream().anyMatch(m -> "evil\u202Etxt.exe".equals(m.get("name"))),
        "still the same name once parsed");
    for (String out : List.of(r.out(), json.out())) {
      assertTrue(out.replace("\n", "").codePoints().noneMatch(PeerText::isUnsafe), out);
    }
  }

  @Test
  void failureLinesEscapeNamesToo() {
    var r = Cli.run("get", server.address(), "gone\u202E.txt", "-o", "-");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().startsWith("lanfetch: \"gone\\u202E.txt\": "), r::toString);
  }

  @Test
  void ipv6AddressesAreAccepted() {
    var r = Cli.run("list", "[::1]:1", "--retries", "0");
    assertEquals(ExitCodes.CANNOT_CONNECT, r.exit(), r::toString);
    assertTrue(r.err().startsWith("lanfetch: cannot connect to [::1]:1"), r::toString);
  }
}
