package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.TestJson;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C or SIGTERM in the middle of {@code get --json}: the run stops, keeps its partial file,
 * says so in one line and still ends stdout with its summary.
 */
class InterruptTest extends FakeServerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"INT, 130", "TERM, 143"})
  void aSignalStopsTheRunWithItsSummary(String signal, int exitCode) throws Exception {
    byte[] data = TestFiles.random(3 << 20, 12);
    server.put("big.bin", data);
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    Path part = dir.resolve(".[接收]big.bin.part");
    Process child =
        ChildClient.builder("get", server.address(), "big.bin", "-o", dir.toString(), "--json")
            .redirectOutput(dir.resolve("out.jsonl").toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    signalOnceWritten(child, part, signal);
    String err = Files.readString(dir.resolve("err.txt"));
    List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
    assertEquals(exitCode, child.exitValue(), err);
    assertEquals("lanfetch: interrupted; partial files kept for resume\n", err);
    var summary = TestJson.parseObject(out.get(out.size() - 1));
    assertEquals("summary", summary.get("event"), out::toString);
    assertEquals((long) exitCode, summary.get("exit_code"));
    assertEquals(0L, summary.get("failed"), "not the file's failure");
    assertFalse(
        Files.exists(dir.resolve("[接收]big.bin")), "never the final name for an incomplete file");
    assertEquals(1 << 20, Files.size(part), "partial kept for resume");
  }

  @Test
  void ctrlCOnStdoutSaysWhatStays() throws Exception {
    server.put("big.bin", TestFiles.random(3 << 20, 13));
    server.enqueue(Fault.STALL_BODY.by(1 << 20));
    Path out = dir.resolve("out.bin");
    Process child =
        ChildClient.builder("get", server.address(), "big.bin", "-o", "-")
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    signalOnceWritten(child, out, "INT");
    String err = Files.readString(dir.resolve("err.txt"));
    assertEquals(130, child.exitValue(), err);
    assertEquals("lanfetch: interrupted; the bytes already written to stdout stay written\n", err);
  }

  /** Sends {@code signal} once the child has written 1 MiB to {@code file}; waits for it to end. */
  private void signalOnceWritten(Process child, Path file, String signal) throws Exception {
    try {
      ChildClient.awaitSize(child, file, 1 << 20, () -> "see " + dir);
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child stops promptly");
    } finally {
      child.destroyForcibly();
      server.release();
    }
  }
}
