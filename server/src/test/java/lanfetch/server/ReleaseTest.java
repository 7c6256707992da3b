package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Misbehaving clients must give back the worker and every file handle they held: a slow reader, a
 * client that vanishes mid-transfer, a slowloris. One worker only, so a worker that is not released
 * makes the honest request after it hang; /proc/self/fd must return to its baseline.
 */
class ReleaseTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();
  long baseline;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Servers.procFdAvailable(), "needs /proc/self/fd to count open files");
    Files.writeString(server.root().resolve("a.txt"), "hello");
    TestFiles.sparse(server.root().resolve("big.bin"), 512L << 20);
    server.start(
        b ->
            b.threads(1)
                .sendTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(500)));
    // Warm up every path once so lazily loaded classes and jars do not count as leaks.
    try (var c = server.open()) {
      honest(c);
    }
    awaitNoConnections();
    baseline = Servers.openFiles();
  }

  private void awaitNoConnections() {
    Servers.await(
        Duration.ofSeconds(20), "connections closed", () -> server.get().openConnections() == 0);
  }

  private void assertReleased() throws IOException {
    try (var c = server.open()) {
      honest(c); // hangs if the only worker were still held
    }
    awaitNoConnections();
    Servers.await(
        Duration.ofSeconds(20),
        "open files back to " + baseline + " (now " + Servers.openFiles() + ")",
        () -> Servers.openFiles() <= baseline);
  }

  private static void honest(TestClient c) throws IOException {
    assertEquals("hello", new String(c.get("a.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void aReaderThatStopsReadingIsCutOffAfterTheSendTimeout() throws IOException {
    try (var c = server.open()) {
      c.socket().setReceiveBufferSize(4096);
      c.send(GetRequest.whole("big.bin"));
      assertInstanceOf(GetHeader.class, c.read());
      server.log().awaitWarning("send timeout");
      server.log().awaitAccess(AccessRecord.ABORTED);
    }
    assertReleased();
  }

  @Test
  void aClientThatDisconnectsMidTransferReleasesEverything() throws IOException {
    try (var c = server.open()) {
      c.send(GetRequest.whole("big.bin"));
      assertInstanceOf(GetHeader.class, c.read());
      c.input().readNBytes(1 << 20);
      c.socket().setSoLinger(true, 0); // reset, like a killed process
    }
    server.log().awaitAccess(AccessRecord.ABORTED);
    assertReleased();
  }

  @Test
  void aSlowlorisIsTimedOutAndReleased() throws IOException {
    try (var c = server.open()) {
      c.sendRaw(new byte[] {0, 0, 0, 20, 0x14, 0});
      c.expectError(ErrorCode.TIMEOUT);
    }
    assertReleased();
  }

  @Test
  void manyAbortedTransfersLeakNothing() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (var c = server.open()) {
        c.send(GetRequest.whole("big.bin"));
        assertInstanceOf(GetHeader.class, c.read());
        c.input().readNBytes(64 * 1024);
      }
    }
    assertReleased();
  }

  @Test
  void refusedAndTimedOutConnectionsLeakNothing() throws IOException {
    server.start(b -> b.threads(1).maxConnections(2).handshakeTimeout(Duration.ofSeconds(1)));
    try (var c = server.open()) {
      honest(c);
    }
    awaitNoConnections();
    baseline = Servers.openFiles();
    try (var a = server.open();
        var b = server.open()) {
      for (int i = 0; i < 20; i++) {
        try (var refused = TestClient.connect(server.address())) {
          refused.expectError(ErrorCode.BUSY);
        }
      }
    }
    awaitNoConnections();
    for (int i = 0; i < 2; i++) {
      try (var silent = TestClient.connect(server.address())) {
        silent.expectError(ErrorCode.TIMEOUT);
      }
    }
    assertReleased();
  }
}
