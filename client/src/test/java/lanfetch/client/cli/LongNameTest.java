package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanfetch.client.ExitCodes;
import lanfetch.client.Target;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names near the protocol's 255-byte segment limit, on a real file system whose NAME_MAX is 255
 * bytes: the part and sidecar take short hashed names, and a prefixed name that cannot fit fails
 * that file with a way out.
 */
class LongNameTest extends FakeServerTest {
  /** 80 Chinese characters: 240 bytes, too long for ".[接收]" + name + ".part.meta". */
  private static final String LONG = "报".repeat(80);

  @TempDir Path dir;

  private Cli.Result get(String... args) {
    var all =
        new java.util.ArrayList<>(
            List.of("get", server.address(), "-o", dir.toString(), "--retries", "0", "--json"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void longNamesDownloadAndResumeThroughHashedPartNames() throws Exception {
    byte[] data = TestFiles.random(400_000, 3);
    server.put(LONG, data);
    server.enqueue(Fault.SHORT_BODY.by(1000));
    var cut = get(LONG);
    assertEquals(ExitCodes.SOME_FAILED, cut.exit(), cut::toString);
    assertEquals("SHORT_BODY", cut.events("failed").get(0).get("error"), cut::toString);
    var target = new Target(LONG, dir.resolve("[接收]" + LONG), -1);
    assertTrue(
        target.part().getFileName().toString().startsWith(".lanfetch-"), target.part()::toString);
    assertEquals(data.length - 1000, Files.size(target.part()));
    assertTrue(Files.exists(target.meta()));

    var r = get(LONG);
    assertEquals(0, r.exit(), r::toString);
    assertEquals(
        (long) data.length - 1000,
        r.events("start").get(0).get("offset"),
        "resumed, not restarted");
    assertArrayEquals(data, Files.readAllBytes(target.destination()));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no part or sidecar left");
    }
  }

  @Test
  void aPrefixedNameOverNameMaxFailsWithTheWayOut() throws Exception {
    String name = "a".repeat(250);
    server.put(name, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var r = get(name);
    assertEquals(ExitCodes.SOME_FAILED, r.exit(), r::toString);
    var failed = r.events("failed").get(0);
    assertEquals("NAME_TOO_LONG", failed.get("error"), r::toString);
    assertTrue(r.err().contains("--prefix ''"), r::toString);
    assertEquals(
        1, r.err().lines().filter(l -> l.contains(name.substring(0, 200))).count(), r::toString);
    assertEquals(
        List.of(), server.takeAll(Kind.GET), "nothing fetched for a file that cannot land");

    var plain = get(name, "--prefix", "");
    assertEquals(0, plain.exit(), plain::toString);
    assertEquals("hello", Files.readString(dir.resolve(name)));
  }
}
