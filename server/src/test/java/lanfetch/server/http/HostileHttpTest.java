package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What hostile HTTP clients try: leaving the root in every encoding, smuggling a second request
 * behind a body, headers that never end or never stop growing.
 */
class HostileHttpTest {
  private static final String SECRET = "outside the root";

  @RegisterExtension
  final ServerExtension server =
      ServerExtension.create(b -> b.requestTimeout(Duration.ofMillis(700)));

  @BeforeEach
  void files() throws IOException {
    Files.writeString(server.outside().resolve("secret"), SECRET);
    Files.createDirectories(server.root().resolve("sub"));
    Files.writeString(server.root().resolve("sub/a.txt"), "a");
    Files.writeString(server.root().resolve("a.txt"), "a");
    Files.writeString(server.root().resolve("%2e%2e"), "a file named %2e%2e");
  }

  private RawHttp raw() throws IOException {
    return new RawHttp(server.address());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret",
        "/%2e%2e/secret",
        "/%2E%2E/secret",
        "/.%2e/secret",
        "/sub/%2e%2e/%2e%2e/secret",
        "/sub/../../secret",
        "/..%2fsecret",
        "/%2e%2e%2fsecret",
        "/sub%2f..%2f..%2fsecret",
        "/%5c..%5csecret",
        "/..%5csecret",
        "/..\\secret",
        "/%c0%ae%c0%ae/secret",
        "/%c0%af../secret",
        "/%e0%80%ae%e0%80%ae/secret",
        "/a.txt%00.png",
        "/%00",
        "/sub/%",
        "/sub/%4",
        "/%ff",
        "/./a.txt",
        "/sub/.",
        "http://test/../secret",
        "*",
        "secret",
      })
  void noEncodingLeavesTheRoot(String target) throws IOException {
    try (var c = raw()) {
      var r = c.exchange("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n");
      assertTrue(List.of(400, 403, 404).contains(r.status()), target + " answered " + r.status());
      assertFalse(r.text().contains(SECRET), target);
    }
  }

  @Test
  void percentEncodingIsDecodedExactlyOnce() throws IOException {
    try (var c = raw()) {
      // %252e%252e decodes once to the name "%2e%2e", a file in the root: never to "..".
      var r = c.exchange(RawHttp.get("GET", "/%252e%252e"));
      assertEquals(200, r.status());
      assertEquals("a file named %2e%2e", r.text());
    }
  }

  @Test
  void transferEncodingWithContentLengthClosesAfterOneAnswer() throws IOException {
    String smuggled =
        "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /sub/a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    try (var c = raw()) {
      c.send(smuggled);
      assertEquals(400, c.read(false).status());
      assertTrue(c.closedByServer(), "a second answer, or an open connection, after a smuggle");
    }
    assertEquals(
        0, server.log().access.stream().filter(r -> r.name().equals("/sub/a.txt")).count());
  }

  @Test
  void aBodyOnGetClosesTheConnection() throws IOException {
    for (String framing : new String[] {"Content-Length: 5", "Transfer-Encoding: chunked"}) {
      try (var c = raw()) {
        c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\nGET /a");
        assertEquals(400, c.read(false).status(), framing);
        assertTrue(c.closedByServer(), framing);
      }
    }
    try (var c = raw()) {
      // Two lengths: the library refuses it before we see it.
      c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n");
      assertEquals(400, c.read(false).status());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void aHeadThatNeverEndsGets408() throws IOException {
    try (var c = raw()) {
      c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n");
      var r = c.read(false);
      assertEquals(408, r.status());
      assertEquals("close", r.header("Connection"));
      assertTrue(c.closedByServer());
    }
    assertTrue(
        server.log().warnings.stream().anyMatch(w -> w.contains("request head not completed")),
        server.log().warnings.toString());
  }

  @Test
  void aHeadDribbledAByteAtATimeIsCutAtTheDeadline() throws Exception {
    try (var c = raw()) {
      c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n");
      // A slowloris keeps every byte coming: the deadline counts from the head's first byte.
      boolean cut = false;
      for (int i = 0; i < 100 && !cut; i++) {
        try {
          c.send("X");
        } catch (IOException e) {
          cut = true;
        }
        cut = cut || !c.silentFor(100);
      }
      assertTrue(cut, "a dribbling head kept the connection for 10 s");
    }
  }

  @Test
  void hundredKilobyteHeaderLinesGet431() throws IOException {
    try (var c = raw()) {
      c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nCookie: ");
      byte[] chunk = "c".repeat(10 * 1024).getBytes();
      try {
        for (int i = 0; i < 10; i++) {
          c.send(chunk);
        }
      } catch (IOException e) {
        // The server may close while the rest is still being sent.
      }
      assertEquals(431, c.read(false).status());
    }
  }
}
