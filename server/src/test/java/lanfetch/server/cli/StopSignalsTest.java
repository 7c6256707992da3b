package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lanfetch.server.ServerExtension;
import lanfetch.server.TestClient;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ctrl-C and SIGTERM, delivered by calling the handler as a signal would. */
class StopSignalsTest {
  private static final long BIG = 64L << 20;

  @RegisterExtension final ServerExtension served = ServerExtension.create();

  @Test
  void aSecondSignalStopsAtOnce() throws Exception {
    TestFiles.sparse(served.root().resolve("big.bin"), BIG);
    var server = served.start(b -> b.grace(Duration.ofMinutes(10)));
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
