package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lanfetch.server.Servers;
import lanfetch.server.TestClient;
import lanfetch.server.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C and SIGTERM, delivered by calling the handler as a signal would. */
class StopSignalsTest {
  private static final long BIG = 64L << 20;

  @TempDir Path root;

  @Test
  void aSecondSignalStopsAtOnce() throws Exception {
    TestFiles.sparse(root.resolve("big.bin"), BIG);
    var server = Servers.start(root, b -> b.grace(Duration.ofMinutes(10)));
    try (var stalled = TestClient.stalledDownload(server, "big.bin")) {
      var signals = new StopSignals(server);
      signals.onSignal();
      assertFalse(signals.forced());
      signals.onSignal();
      assertTrue(signals.forced());
      CompletableFuture.runAsync(server::awaitStopped).get(20, TimeUnit.SECONDS);
      stalled.assertCut(BIG);
    }
  }
}
