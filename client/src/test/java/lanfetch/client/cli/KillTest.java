package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServer.RecordedRequest;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client killed with SIGKILL mid-transfer resumes on the next run, byte-identical. */
class KillTest extends FakeServerTest {
  @TempDir Path dir;

  @Test
  void resumesAfterKillMinusNine() throws Exception {
    byte[] data = TestFiles.random(3 << 20, 11);
    server.put("big.bin", data);
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    Path part = dir.resolve(".[接收]big.bin.part");
    Process child =
        ChildClient.builder(
                "get", server.address(), "big.bin", "-o", dir.toString(), "--retries", "0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      ChildClient.awaitSize(child, part, 1 << 20, this::log);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      server.release();
    }
    assertFalse(Files.exists(dir.resolve("[接收]big.bin")));
    assertTrue(
        Files.exists(dir.resolve(".[接收]big.bin.part.meta")), "the sidecar was on disk first");

    var r = Cli.run("get", server.address(), "big.bin", "-o", dir.toString(), "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals((long) (1 << 20), r.events("start").get(0).get("offset"));
    assertEquals(TestFiles.sha256(data), TestFiles.sha256(dir.resolve("[接收]big.bin")));
    var gets = server.takeAll(Kind.GET);
    assertEquals(
        List.of(0L, (long) (1 << 20)), gets.stream().map(RecordedRequest::offset).toList());
    assertTrue(gets.get(1).connection() > gets.get(0).connection(), "resumed on a new connection");
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
