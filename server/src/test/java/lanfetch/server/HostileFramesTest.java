package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Frames that cost the server memory, or a worker, out of proportion to the bytes sent. */
class HostileFramesTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @Test
  void fourBytesBeforeTheHelloAreRefusedAtOnceNotBuffered() throws IOException {
    // A generous handshake deadline: the old server sat on the 64 KiB buffer until it ran out.
    server.start(b -> b.handshakeTimeout(Duration.ofMinutes(5)));
    try (var c = TestClient.connect(server.address())) {
      c.sendRaw(new byte[] {0x00, 0x01, 0x00, 0x00});
      ErrorMessage e = c.expectError(ErrorCode.BAD_REQUEST);
      assertTrue(
          e.closing() && e.message().contains("exceeds maximum " + Wire.MAX_CLIENT_FRAME),
          e.message());
      assertNull(c.readOrEnd());
    }
  }

  @Test
  void theLongestValidRequestStillFitsUnderTheCap() throws IOException {
    String name = ("a".repeat(254) + "/").repeat(16) + "b".repeat(15); // 4095 bytes
    try (var c = server.open()) {
      c.send(new StatRequest(name));
      c.expectError(ErrorCode.NOT_FOUND);
      Files.writeString(server.root().resolve("x"), "x");
      c.send(new StatRequest("x"));
      assertInstanceOf(lanfetch.protocol.StatResult.class, c.read());
    }
  }

  @Test
  void aLongNameOfEscapedCharactersIsRefusedInOneFrameAndTheConnectionGoesOn() throws IOException {
    Files.writeString(server.root().resolve("a.txt"), "hello");
    server.start(b -> b.maxFrameSize(ServerConfig.MIN_FRAME_SIZE));
    // U+0085 is 2 bytes of UTF-8 but 6 once escaped in a message: the old error outgrew the frame.
    String tooLong = "\u0085".repeat(2100);
    String longValid = ("\u0085".repeat(127) + "/").repeat(16) + "\u0085".repeat(10);
    try (var c = server.open()) {
      for (String name : new String[] {tooLong, longValid}) {
        c.send(new StatRequest(name));
        ErrorMessage e = assertInstanceOf(ErrorMessage.class, c.read());
        assertTrue(e.message().contains("bytes)"), e.message());
        assertTrue(e.message().length() < 2000, e.message());
      }
      c.send(new StatRequest("a.txt"));
      assertInstanceOf(lanfetch.protocol.StatResult.class, c.read());
    }
    assertEquals(
        0,
        server.log().warnings.stream().filter(w -> w.length() > 2000).count(),
        server.log().warnings.toString());
  }

  @Test
  void aWorkerThatFailsStillGivesTheConnectionBack() throws Exception {
    Files.writeString(server.root().resolve("a.txt"), "hello");
    var failing =
        new ServerLog() {
          @Override
          public void access(AccessRecord record) {
            throw new AssertionError("simulated bug after the answer went out");
          }

          @Override
          public void warn(String client, String message) {
            server.log().warn(client, message);
          }
        };
    server.start(b -> b.log(failing));
    try (var c = server.open()) {
      c.send(new StatRequest("a.txt"));
      assertInstanceOf(lanfetch.protocol.StatResult.class, c.read());
      Servers.await(
          Duration.ofSeconds(20),
          "the slot to be released",
          () -> server.get().openConnections() == 0);
      server.log().awaitWarning("internal error while answering");
    }
  }
}
