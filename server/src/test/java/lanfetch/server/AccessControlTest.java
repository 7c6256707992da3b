package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.server.security.AccessToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token in HELLO, and what each kind of client hears from each kind of server. */
class AccessControlTest {
  static final String TOKEN = "s3cret-token";

  @RegisterExtension
  final ServerExtension server = ServerExtension.create(b -> b.accessToken(AccessToken.of(TOKEN)));

  @BeforeEach
  void files() throws IOException {
    Files.writeString(server.root().resolve("a.txt"), "hello");
  }

  @Test
  void theRightTokenIsWelcomed() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(TestClient.hello(TOKEN));
      c.read();
      assertArrayEquals("hello".getBytes(), c.get("a.txt"));
    }
  }

  @Test
  void aWrongTokenIsRefusedAndPipelinedRequestsAreDropped() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(TestClient.hello("s3cret-tokeN"), GetRequest.whole("a.txt"));
      var e = c.expectError(ErrorCode.UNAUTHORIZED);
      assertTrue(e.closing());
      assertEquals("wrong access token", e.message());
      assertNull(c.readOrEnd(), "nothing after the closing error");
    }
    server.log().awaitWarning("UNAUTHORIZED: wrong access token");
    assertTrue(
        server.log().warnings.get(0).startsWith("127.0.0.1:"), server.log().warnings::toString);
  }

  @Test
  void aMissingTokenIsRefused() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(Hello.current());
      assertEquals(
          "this server requires an access token", c.expectError(ErrorCode.UNAUTHORIZED).message());
    }
  }

  @Test
  void repeatedFailuresWaitLongerEachTimeAndASuccessResets() throws IOException {
    for (int i = 0; i < 3; i++) {
      try (var c = TestClient.connect(server.address())) {
        c.send(TestClient.hello("guess" + i));
        c.expectError(ErrorCode.UNAUTHORIZED);
      }
    }
    try (var c = TestClient.connect(server.address())) {
      c.send(TestClient.hello(TOKEN));
      c.read();
    }
    try (var c = TestClient.connect(server.address())) {
      c.send(TestClient.hello("again"));
      c.expectError(ErrorCode.UNAUTHORIZED);
    }
    server.log().awaitWarning("failure 1 from this address, answering in 100ms");
    List<String> delays =
        server.log().warnings.stream()
            .filter(w -> w.contains("UNAUTHORIZED"))
            .map(w -> w.substring(w.indexOf("failure ")))
            .toList();
    assertEquals(
        List.of(
            "failure 1 from this address, answering in 100ms",
            "failure 2 from this address, answering in 200ms",
            "failure 3 from this address, answering in 400ms",
            "failure 1 from this address, answering in 100ms"),
        delays);
  }

  @Test
  void aTlsClientAtAPlainServerGetsATlsAlertNotAFrame() throws IOException {
    try (var s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(30_000);
      // The start of a TLS ClientHello record: handshake (0x16), version 3.1, some length.
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01});
      InputStream in = s.getInputStream();
      assertArrayEquals(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46}, in.readAllBytes());
    }
    server.log().awaitWarning("a TLS client connected; this server runs without --tls");
  }
}
