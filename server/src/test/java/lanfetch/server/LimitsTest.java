package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Welcome;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each limit of issue 3 over real loopback sockets: the limit holds, honest clients are served. */
class LimitsTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void files() throws IOException {
    Files.writeString(server.root().resolve("a.txt"), "hello");
  }

  /** The connection ends with this closing ERROR, then a clean end of stream. */
  private static ErrorMessage assertClosedWith(TestClient c, ErrorCode code) throws IOException {
    ErrorMessage e = c.expectError(code);
    assertTrue(e.closing(), "closing flag on " + e);
    assertNull(c.readOrEnd(), "nothing after a closing error");
    return e;
  }

  private static void assertServed(TestClient c) throws IOException {
    assertEquals("hello", new String(c.get("a.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void pastTheConnectionLimitNewClientsGetBusyAtOnce() throws IOException {
    server.start(b -> b.maxConnections(2));
    try (var a = server.open();
        var b = server.open()) {
      try (var c = TestClient.connect(server.address())) {
        assertClosedWith(c, ErrorCode.BUSY);
      }
      a.close();
      Servers.await(
          Duration.ofSeconds(10), "slot freed", () -> server.get().openConnections() == 1);
      try (var d = server.open()) {
        assertServed(d);
      }
      assertServed(b);
    }
    server.log().awaitWarning("limit of 2 connections");
  }

  @Test
  void pastThePerAddressLimitThatAddressGetsBusyOthersDoNot() throws IOException {
    server.start(b -> b.maxConnectionsPerAddress(1));
    InetAddress second = InetAddress.getByName("127.0.0.2");
    try (var a = TestClient.connectFrom(server.address(), InetAddress.getByName("127.0.0.1"))) {
      a.handshake();
      try (var b = TestClient.connectFrom(server.address(), InetAddress.getByName("127.0.0.1"))) {
        assertClosedWith(b, ErrorCode.BUSY);
      }
      try (var other = TestClient.connectFrom(server.address(), second)) {
        other.handshake();
        assertServed(other);
      }
      assertServed(a);
    }
  }

  @Test
  void aConnectionUsesUpItsRequestAllowance() throws IOException {
    server.start(b -> b.maxRequestsPerConnection(3));
    try (var c = server.open()) {
      for (int i = 0; i < 3; i++) {
        assertServed(c);
      }
      c.send(new StatRequest("a.txt"));
      assertClosedWith(c, ErrorCode.TOO_MANY_REQUESTS);
    }
    try (var fresh = server.open()) {
      assertServed(fresh);
    }
  }

  @Test
  void aClientThatNeverSaysHelloTimesOut() throws IOException {
    server.start(b -> b.handshakeTimeout(Duration.ofMillis(300)));
    try (var c = TestClient.connect(server.address())) {
      assertTrue(assertClosedWith(c, ErrorCode.TIMEOUT).message().contains("handshake"));
    }
    server.log().awaitWarning("handshake not completed within 300ms");
  }

  @Test
  void anIdleConnectionTimesOut() throws IOException {
    server.start(b -> b.idleTimeout(Duration.ofSeconds(1)));
    try (var c = server.open()) {
      assertServed(c);
      assertTrue(assertClosedWith(c, ErrorCode.TIMEOUT).message().contains("no request"));
    }
  }

  @Test
  void aSlowlorisRequestFrameTimesOutWithoutHoldingTheOnlyWorker() throws IOException {
    server.start(b -> b.threads(1).requestTimeout(Duration.ofMillis(500)));
    try (var slow = server.open();
        var honest = server.open()) {
      slow.sendRaw(new byte[] {0, 0, 0, 9, 0x12}); // a STAT frame, 5 of its 13 bytes
      assertServed(honest);
      assertTrue(assertClosedWith(slow, ErrorCode.TIMEOUT).message().contains("request frame"));
      assertServed(honest);
    }
  }

  @Test
  void dribblingOneByteAtATimeDoesNotPushTheFrameDeadlineBack() throws Exception {
    server.start(b -> b.requestTimeout(Duration.ofMillis(500)).idleTimeout(Duration.ofSeconds(30)));
    try (var slow = server.open()) {
      byte[] frame =
          lanfetch.protocol.FrameWriter.frame(
              new StatRequest("a-longer-name.txt"), lanfetch.protocol.Wire.MAX_FRAME_SIZE);
      var dribbler =
          new Thread(
              () -> {
                try {
                  for (byte b : frame) { // 24 bytes, 100 ms apart: far longer than the deadline
                    slow.sendRaw(new byte[] {b});
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException e) {
                  // The server cut the connection, as it should.
                }
              });
      dribbler.start();
      assertTrue(assertClosedWith(slow, ErrorCode.TIMEOUT).message().contains("request frame"));
      dribbler.interrupt();
      dribbler.join(10_000);
    }
  }

  @Test
  void hugeLengthPrefixesCloseWithoutAllocating() throws IOException {
    for (byte[] prefix : new byte[][] {{0x7F, -1, -1, -1}, {-1, -1, -1, -1}, {0, 1, 0, 1}}) {
      try (var c = server.open()) {
        c.sendRaw(prefix);
        assertTrue(
            assertClosedWith(c, ErrorCode.BAD_REQUEST).message().contains("exceeds maximum"));
      }
    }
  }

  @Test
  void theFrameCapIsConfigurable() throws IOException {
    server.start(b -> b.maxFrameSize(ServerConfig.MIN_FRAME_SIZE));
    try (var c = server.open()) {
      c.sendRaw(new byte[] {0, 0, 0x11, 0x01});
      assertTrue(assertClosedWith(c, ErrorCode.BAD_REQUEST).message().contains("4353"));
    }
  }

  @Test
  void brokenHandshakesAreBadRequests() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(new StatRequest("a.txt"));
      assertClosedWith(c, ErrorCode.BAD_REQUEST);
    }
    try (var c = TestClient.connect(server.address())) {
      c.sendRaw(new byte[] {0, 0, 0, 11, 1, 'N', 'O', 'P', 'E', 0, 1, 0, 0, 0, 0});
      assertTrue(assertClosedWith(c, ErrorCode.BAD_REQUEST).message().contains("magic"));
    }
    try (var c = TestClient.connect(server.address())) {
      c.send(new Hello(0, 0, Map.of()));
      assertClosedWith(c, ErrorCode.UNSUPPORTED_VERSION);
    }
    try (var c = server.open()) {
      c.send(Hello.current());
      assertClosedWith(c, ErrorCode.BAD_REQUEST);
    }
    try (var c = server.open()) {
      c.send(new Welcome(1, 0, "not a client"));
      assertClosedWith(c, ErrorCode.BAD_REQUEST);
    }
    try (var c = server.open()) {
      c.sendRaw(new byte[] {0, 0, 0, 1, 0x55});
      assertTrue(assertClosedWith(c, ErrorCode.BAD_REQUEST).message().contains("0x55"));
    }
  }

  @Test
  void aNewerClientIsWelcomedAtOurVersion() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(new Hello(7, 0xFF, Map.of(0x42, new byte[] {1, 2})));
      assertEquals(1, assertInstanceOf(Welcome.class, c.read()).version());
      assertServed(c);
    }
  }

  @Test
  void requestsPipelinedAfterABadFrameAreAnsweredUpToIt() throws IOException {
    try (var c = server.open()) {
      c.send(GetRequest.whole("a.txt"), new StatRequest("a.txt"));
      c.sendRaw(new byte[] {0, 0, 0, 0});
      assertEquals(5, assertInstanceOf(GetHeader.class, c.read()).length());
      assertEquals("hello", new String(c.input().readNBytes(5), StandardCharsets.UTF_8));
      assertInstanceOf(StatResult.class, c.read());
      assertClosedWith(c, ErrorCode.BAD_REQUEST);
    }
  }

  @Test
  void whenEveryWorkerIsBusyAndTheQueueIsFullClientsGetBusy() throws IOException {
    TestFiles.sparse(server.root().resolve("big.bin"), 256L << 20);
    server.start(b -> b.threads(1).queueCapacity(1));
    try (var hog = server.open();
        var queued = server.open();
        var third = server.open()) {
      hog.socket().setReceiveBufferSize(4096);
      hog.send(GetRequest.whole("big.bin")); // never read: the only worker stays busy
      assertInstanceOf(GetHeader.class, hog.read());
      queued.send(new StatRequest("a.txt"));
      Servers.await(
          Duration.ofSeconds(10),
          "the request to be queued",
          () -> server.get().queuedRequests() == 1);
      third.send(new StatRequest("a.txt"));
      assertClosedWith(third, ErrorCode.BUSY);
    }
  }

  @Test
  void connectionsRefusedForTheLimitDoNotHoldSlots() throws IOException {
    server.start(b -> b.maxConnections(1));
    try (var a = server.open()) {
      for (int i = 0; i < 5; i++) {
        try (var refused = TestClient.connect(server.address())) {
          assertClosedWith(refused, ErrorCode.BUSY);
        }
      }
      assertServed(a);
      assertEquals(1, server.get().openConnections());
    }
  }
}
