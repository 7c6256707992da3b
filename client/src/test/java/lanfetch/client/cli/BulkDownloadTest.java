package lanfetch.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lanfetch.client.ExitCodes;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServer.RecordedRequest;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many files at once: parallel pipelined connections, lists on stdin, globs, trees. */
class BulkDownloadTest extends FakeServerTest {
  @TempDir Path dir;

  @Test
  void twoThousandSmallFilesOverFourConnections() throws IOException {
    var names = new ArrayList<String>();
    for (int i = 0; i < 2000; i++) {
      String name = "set" + (i % 5) + "/f" + i + ".bin";
      server.put(name, TestFiles.random(4096, i));
      names.add(name);
    }
    var r =
        Cli.runWithInput(
            String.join("\n", names) + "\n",
            "get",
            server.address(),
            "-i",
            "-",
            "-j",
            "4",
            "-o",
            dir.toString(),
            "--json",
            "--retries",
            "0");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(2000, r.events("done").size());
    assertEquals(
        new HashSet<>(names),
        new HashSet<>(r.events("done").stream().map(m -> m.get("name")).toList()));
    Map<String, Object> summary = r.events("summary").get(0);
    assertEquals(2000L, summary.get("done"));
    assertEquals(2000L * 4096, summary.get("bytes"));
    for (int i = 0; i < 2000; i += 97) {
      assertArrayEquals(
          TestFiles.random(4096, i), Files.readAllBytes(dir.resolve("[接收]f" + i + ".bin")));
    }
    try (var s = Files.list(dir)) {
      assertEquals(2000, s.count(), "no part files left");
    }
    assertTrue(server.connectionCount() <= 5, "at most one connection per job plus the listing");
  }

  @Test
  void requestAllowancesAndBusyServersOnlyCostReconnects() throws IOException {
    var names = new ArrayList<String>();
    for (int i = 0; i < 60; i++) {
      server.put("f" + i, TestFiles.random(1000 + i, i));
      names.add("f" + i);
    }
    server.setDefault(Fault.ALLOWANCE.by(7));
    server.enqueue(Fault.BUSY).enqueue(Fault.BUSY);
    var args =
        new ArrayList<>(
            List.of(
                "get",
                server.address(),
                "-o",
                dir.toString(),
                "-j",
                "3",
                "--retries",
                "2",
                "--retry-wait",
                "1",
                "--json"));
    args.addAll(names);
    var r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    assertEquals(60, r.events("done").size());
    for (int i = 0; i < 60; i += 7) {
      assertArrayEquals(
          TestFiles.random(1000 + i, i), Files.readAllBytes(dir.resolve("[接收]f" + i)));
    }
    assertTrue(server.connectionCount() >= 60 / 7, "reconnected after each allowance");
    var requests = server.takeAll();
    var hellos = requests.stream().filter(q -> q.kind() == Kind.HELLO).toList();
    assertEquals(
        List.of(Fault.BUSY, Fault.BUSY),
        hellos.subList(0, 2).stream().map(RecordedRequest::fault).toList(),
        "the first two handshakes were turned away");
    assertTrue(
        hellos.subList(2, hellos.size()).stream().allMatch(h -> h.fault() == Fault.ALLOWANCE),
        hellos::toString);
    var answeredPerConnection =
        requests.stream()
            .filter(q -> q.kind() != Kind.HELLO)
            .collect(Collectors.groupingBy(RecordedRequest::connection, Collectors.counting()));
    assertTrue(
        answeredPerConnection.values().stream().allMatch(n -> n <= 7),
        answeredPerConnection::toString);
  }

  @Test
  void listFileWithBlankLinesAndCrlf() throws IOException {
    server.put("a.txt", "A".getBytes(UTF_8)).put("b/报告.txt", "B".getBytes(UTF_8));
    Path list = Files.writeString(dir.resolve("list.txt"), "a.txt\r\n\r\nb/报告.txt\n");
    var r =
        Cli.run(
            "get", server.address(), "-i", list.toString(), "-o", dir.resolve("out").toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals("B", Files.readString(dir.resolve("out/[接收]报告.txt")));
  }

  @Test
  void listThatIsNotUtf8IsALocalError() throws IOException {
    Path list = Files.write(dir.resolve("list.txt"), new byte[] {(byte) 0xC3, 0x28});
    var r = Cli.run("get", server.address(), "-i", list.toString(), "-o", dir.toString());
    assertEquals(ExitCodes.LOCAL, r.exit(), r::toString);
    assertTrue(r.err().contains("not valid UTF-8"), r::toString);
  }

  @Test
  void globsMatchTheServersListing() throws IOException {
    server
        .put("logs/a.gz", new byte[1])
        .put("logs/b.gz", new byte[2])
        .put("logs/c.txt", new byte[3])
        .put("logs/old/d.gz", new byte[4])
        .put("pics/x.jpg", new byte[5])
        .put("pics/y/z.jpg", new byte[6])
        .put("top.jpg", new byte[7]);
    var r =
        Cli.run(
            "get",
            server.address(),
            "logs/*.gz",
            "**/*.jpg",
            "nothing/*.x",
            "-o",
            dir.toString(),
            "--json");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertEquals(
        List.of("logs/a.gz", "logs/b.gz", "pics/x.jpg", "pics/y/z.jpg", "top.jpg"),
        r.events("done").stream().map(m -> (String) m.get("name")).sorted().toList());
    assertEquals("NO_MATCH", r.events("failed").get(0).get("error"));
  }

  @Test
  void recursiveTreeKeepsItsStructure() throws IOException {
    server
        .put("data/logs/a.txt", "a".getBytes(UTF_8))
        .put("data/logs/2026/11/b.txt", "b".getBytes(UTF_8))
        .put("data/logs/报告/c.txt", "c".getBytes(UTF_8))
        .put("data/other.txt", "x".getBytes(UTF_8));
    var r = Cli.run("get", server.address(), "-r", "data/logs/", "-o", dir.toString(), "-j", "2");
    assertEquals(0, r.exit(), r::toString);
    Path root = dir.resolve("[接收]logs");
    assertEquals("a", Files.readString(root.resolve("a.txt")));
    assertEquals("b", Files.readString(root.resolve("2026/11/b.txt")));
    assertEquals("c", Files.readString(root.resolve("报告/c.txt")));
    assertTrue(Files.notExists(dir.resolve("[接收]other.txt")));

    var again =
        Cli.run(
            "get",
            server.address(),
            "-r",
            "data/logs",
            "-o",
            dir.toString(),
            "--skip-existing",
            "--json");
    assertEquals(0, again.exit(), again::toString);
    assertEquals(3, again.events("skipped").size());
  }

  @Test
  void symlinkInsideATreeIsNotFollowed() throws IOException {
    server.put("t/sub/a.txt", "a".getBytes(UTF_8));
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path out = Files.createDirectories(dir.resolve("out/[接收]t"));
    Files.createSymbolicLink(out.resolve("sub"), elsewhere);
    var r =
        Cli.run(
            "get",
            server.address(),
            "-r",
            "t",
            "-o",
            dir.resolve("out").toString(),
            "--retries",
            "0");
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    assertTrue(r.err().contains("symbolic link"), r::toString);
    try (var s = Files.list(elsewhere)) {
      assertEquals(0, s.count(), "nothing written through the link");
    }
  }
}
