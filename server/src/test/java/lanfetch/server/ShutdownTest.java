package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Message;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Graceful stop: no new connections, transfers in flight finish within the grace period. */
class ShutdownTest {
  private static final long BIG = 64L << 20;

  @RegisterExtension final ServerExtension served = ServerExtension.create();

  @Test
  void aTransferInFlightFinishesAndIdleClientsAreToldWhy() throws Exception {
    TestFiles.sparse(served.root().resolve("big.bin"), BIG);
    var server = served.start(b -> b.grace(Duration.ofSeconds(60)));
    try (var downloading = TestClient.open(server);
        var idle = TestClient.open(server)) {
      downloading.send(GetRequest.whole("big.bin"));
      var header = assertInstanceOf(GetHeader.class, downloading.read());
      downloading.input().readNBytes(1 << 20); // the transfer is under way

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      ErrorMessage told = idle.expectError(ErrorCode.SHUTTING_DOWN);
      assertTrue(told.closing());
      assertFalse(closing.isDone(), "close waits for the transfer");
      assertThrows(
          ConnectException.class,
          () -> new Socket(server.address().getAddress(), server.address().getPort()).close());

      long rest = header.length() - (1 << 20);
      downloading.input().skipNBytes(rest); // EOFException if the body were cut short
      Message after = downloading.readOrEnd();
      assertTrue(
          after == null
              || after instanceof ErrorMessage e && e.code() == ErrorCode.SHUTTING_DOWN.code(),
          "after the body: " + after);
      closing.get(30, TimeUnit.SECONDS);
    }
  }

  /** A client that asked for big.bin and reads nothing: its transfer stays in flight. */
  private static TestClient stalledDownload(FileServer server) throws IOException {
    return TestClient.stalledDownload(server, "big.bin");
  }

  /** The transfer was cut: the body never completes. */
  private static void assertCut(TestClient stalled) {
    stalled.assertCut(BIG);
  }

  @Test
  void theGracePeriodBoundsAStalledTransfer() throws Exception {
    TestFiles.sparse(served.root().resolve("big.bin"), BIG);
    var log = served.log();
    var server = served.start(b -> b.grace(Duration.ofMillis(300)));
    try (var stalled = stalledDownload(server)) {
      CompletableFuture.runAsync(server::close).get(20, TimeUnit.SECONDS);
      assertCut(stalled);
    }
    log.awaitWarning("cut at the end of the grace period");
    assertFalse(
        log.warnings.stream().anyMatch(w -> w.contains("send timeout")), log.warnings.toString());
  }

  @Test
  void stopNowCutsTransfersAtOnce() throws Exception {
    TestFiles.sparse(served.root().resolve("big.bin"), BIG);
    var server = served.start(b -> b.grace(Duration.ofSeconds(60)));
    try (var stalled = stalledDownload(server)) {
      CompletableFuture<Void> graceful = CompletableFuture.runAsync(server::close);
      CompletableFuture.runAsync(server::stopNow).get(20, TimeUnit.SECONDS);
      graceful.get(20, TimeUnit.SECONDS);
      assertCut(stalled);
    }
  }
}
