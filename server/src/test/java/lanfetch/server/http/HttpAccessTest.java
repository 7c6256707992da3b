package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import lanfetch.server.AccessRecord;
import lanfetch.server.ServerExtension;
import lanfetch.server.Servers;
import lanfetch.server.security.AccessToken;
import lanfetch.server.security.ServerTls;
import lanfetch.testing.TrustingTls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token over HTTP, HTTPS on the TLS port, and a server with HTTP turned off. */
class HttpAccessTest {
  private static final String TOKEN = "correct horse battery staple";

  @RegisterExtension final ServerExtension server = ServerExtension.create();

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void files() throws IOException {
    Files.writeString(server.root().resolve("a.txt"), "hello");
  }

  private HttpResponse<String> get(HttpClient client, String url, String... headers)
      throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String url(String target) {
    return "http://" + server.hostPort() + target;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTokenServerAsksForTheTokenAndTakesBearerOrBasic() throws Exception {
    server.start(b -> b.accessToken(AccessToken.of(TOKEN)));
    var none = get(http, url("/a.txt"));
    assertEquals(401, none.statusCode());
    assertEquals(
        "Basic realm=\"lanfetch\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertTrue(!none.body().contains("hello"));

    assertEquals("hello", get(http, url("/a.txt"), "Authorization", "Bearer " + TOKEN).body());
    assertEquals("hello", get(http, url("/a.txt"), "Authorization", basic("anyone", TOKEN)).body());
    assertEquals("hello", get(http, url("/a.txt"), "Authorization", basic("", TOKEN)).body());
    var listing = get(http, url("/"), "Authorization", basic("me", TOKEN));
    assertEquals(200, listing.statusCode());
  }

  @Test
  void aWrongTokenIsAnsweredLaterAfterEveryFailure() throws Exception {
    server.start(b -> b.accessToken(AccessToken.of(TOKEN)));
    for (String wrong :
        new String[] {"Bearer nope", basic("me", "nope"), "Basic !!!notbase64", basic(TOKEN, "")}) {
      var r = get(http, url("/a.txt"), "Authorization", wrong);
      assertEquals(401, r.statusCode(), wrong);
      assertTrue(!r.body().contains("hello"), wrong);
    }
    server.log().awaitWarning("failure 4 from this address");
    assertEquals("hello", get(http, url("/a.txt"), "Authorization", "Bearer " + TOKEN).body());
  }

  @Test
  void theLanfetchProtocolStillNeedsItsOwnTokenBesideHttp() throws Exception {
    server.start(b -> b.accessToken(AccessToken.of(TOKEN)));
    try (var c = new RawHttp(server.address())) {
      var r = c.exchange(RawHttp.get("GET", "/a.txt", "Authorization: Bearer " + TOKEN));
      assertEquals(200, r.status());
    }
  }

  @Test
  void httpsOnTheTlsPortWithTheSameKey() throws Exception {
    var tls = ServerTls.loadOrCreate(server.outside().resolve("key.p12"));
    byte[] big = new byte[2 * 1024 * 1024 + 3];
    new Random(5).nextBytes(big);
    Files.write(server.root().resolve("big.bin"), big);
    server.start(b -> b.tls(tls));
    var https = HttpClient.newBuilder().sslContext(TrustingTls.context()).build();
    String base = "https://" + server.hostPort();
    var r =
        https.send(
            HttpRequest.newBuilder(URI.create(base + "/big.bin")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertArrayEquals(big, r.body());
    var range =
        https.send(
            HttpRequest.newBuilder(URI.create(base + "/a.txt")).header("Range", "bytes=-2").build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("lo", range.body());
    assertEquals(200, get(https, base + "/").statusCode());
    Servers.await(
        Duration.ofSeconds(10),
        "https access lines",
        () -> server.log().access.stream().anyMatch(a -> a.protocol().equals(AccessRecord.HTTPS)));

    // Plain HTTP at the TLS port: told to use https, in HTTP.
    try (var c = new RawHttp(server.address())) {
      var plain = c.exchange(RawHttp.get("GET", "/a.txt"));
      assertEquals(400, plain.status());
      assertTrue(plain.text().contains("https://"), plain.text());
    }
  }

  @Test
  void withoutHttpALetterFirstGetsWhatItAlwaysGot() throws Exception {
    server.start(b -> b.http(false));
    try (var s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(RawHttp.get("GET", "/a.txt").getBytes(StandardCharsets.US_ASCII));
      var e = (ErrorMessage) new FrameReader(s.getInputStream()).read();
      assertEquals(ErrorCode.BAD_REQUEST.code(), e.code());
    }
  }

  @Test
  void lanfetchAndHttpClientsShareThePortAndTheLimits() throws Exception {
    server.start(b -> b.maxConnectionsPerAddress(3));
    try (var lanfetch = server.open();
        var a = new RawHttp(server.address());
        var b = new RawHttp(server.address())) {
      assertEquals(200, a.exchange(RawHttp.get("GET", "/a.txt")).status());
      assertEquals(200, b.exchange(RawHttp.get("GET", "/a.txt")).status());
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), lanfetch.get("a.txt"));
      assertEquals(3, server.get().openConnections());
    }
    Servers.await(
        Duration.ofSeconds(10), "connections closed", () -> server.get().openConnections() == 0);
  }

  @Test
  void whenEveryWorkerIsBusyAndTheQueueIsFullHttpClientsGet503WithRetryAfter() throws Exception {
    lanfetch.testing.TestFiles.sparse(server.root().resolve("big.bin"), 256L << 20);
    server.start(b -> b.threads(1).queueCapacity(1));
    // A worker holds a body that does not drain for one second at most, then hands it to the
    // event loop: on a machine too busy to send the next two requests within that second, the
    // worker is free again and the third request is simply served. That round proves nothing
    // either way and is tried again (bounded); a 200 within the second fails the test.
    for (int attempt = 1; ; attempt++) {
      try (var hog = new RawHttp(server.address());
          var queued = new RawHttp(server.address());
          var third = new RawHttp(server.address())) {
        hog.socket.setReceiveBufferSize(4096);
        hog.send(RawHttp.get("GET", "/big.bin")); // never drained: the only worker stays busy
        assertTrue(hog.statusLine().startsWith("HTTP/1.1 200"));
        long held = System.nanoTime();
        queued.send(RawHttp.get("GET", "/a.txt"));
        Servers.await(
            Duration.ofSeconds(10),
            "the request to be queued",
            () -> Servers.queuedRequests(server.get()) == 1);
        var r = third.exchange(RawHttp.get("GET", "/a.txt"));
        if (r.status() == 200 && System.nanoTime() - held >= 900_000_000L && attempt < 5) {
          continue; // the hold ended before the third request came: not a test of the limit
        }
        assertEquals(503, r.status());
        assertEquals("5", r.header("Retry-After"));
        assertTrue(third.closedByServer());
        return;
      }
    }
  }

  @Test
  void pastTheConnectionLimitHttpClientsGet503AndLanfetchClientsBusy() throws Exception {
    server.start(b -> b.maxConnections(1));
    try (var holder = server.open()) {
      try (var c = new RawHttp(server.address())) {
        var r = c.exchange(RawHttp.get("GET", "/a.txt"));
        assertEquals(503, r.status());
        assertEquals("5", r.header("Retry-After"));
        assertTrue(r.text().contains("limit"), r.text());
        assertTrue(c.closedByServer());
      }
      try (var s = new Socket(server.address().getAddress(), server.address().getPort())) {
        s.setSoTimeout(10_000); // silent: the BUSY frame comes after the short wait
        var e = (ErrorMessage) new FrameReader(s.getInputStream()).read();
        assertEquals(ErrorCode.BUSY.code(), e.code());
      }
    }
  }

  @Test
  void pastTheConnectionLimitATlsClientAtAPlainServerGetsATlsAlertNotAFrame() throws Exception {
    server.start(b -> b.maxConnections(1));
    try (var holder = server.open();
        var s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(10_000);
      // The start of a TLS ClientHello record: handshake (0x16), version 3.1, some length.
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01});
      // What the same client gets from this server when it is not full: its TLS stack reports
      // that the server does not speak TLS, instead of parsing a BUSY frame as a record.
      assertArrayEquals(
          new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46}, s.getInputStream().readAllBytes());
    }
  }

  @Test
  void pastTheConnectionLimitHttpsClientsGet503InsideTls() throws Exception {
    var tls = ServerTls.loadOrCreate(server.outside().resolve("key.p12"));
    server.start(b -> b.tls(tls).maxConnections(1).handshakeTimeout(Duration.ofMinutes(1)));
    try (var holder = new Socket(server.address().getAddress(), server.address().getPort())) {
      Servers.await(
          Duration.ofSeconds(10), "the only slot taken", () -> server.get().openConnections() == 1);
      var https = HttpClient.newBuilder().sslContext(TrustingTls.context()).build();
      var r = get(https, "https://" + server.hostPort() + "/a.txt");
      assertEquals(503, r.statusCode());
      assertEquals("5", r.headers().firstValue("Retry-After").orElseThrow());
      assertEquals("close", r.headers().firstValue("Connection").orElseThrow());
      assertTrue(r.body().contains("limit of 1 connections"), r.body());

      // A client inside TLS that says nothing is taken for a lanfetch client: BUSY, shortly.
      try (var s =
          TrustingTls.context()
              .getSocketFactory()
              .createSocket(holder.getInetAddress(), holder.getPort())) {
        s.setSoTimeout(10_000);
        ((javax.net.ssl.SSLSocket) s).startHandshake();
        var e = (ErrorMessage) new FrameReader(s.getInputStream()).read();
        assertEquals(ErrorCode.BUSY.code(), e.code());
      }
    }
  }

  @Test
  void aFloodOfRefusedTlsConnectionsIsClosedAtOnceUntilItEbbs() throws Exception {
    var tls = ServerTls.loadOrCreate(server.outside().resolve("key.p12"));
    server.start(b -> b.tls(tls).maxConnections(1).handshakeTimeout(Duration.ofMinutes(1)));
    var https = HttpClient.newBuilder().sslContext(TrustingTls.context()).build();
    String url = "https://" + server.hostPort() + "/a.txt";
    var silent = new java.util.ArrayList<Socket>();
    try (var holder = new Socket(server.address().getAddress(), server.address().getPort())) {
      Servers.await(
          Duration.ofSeconds(10), "the only slot taken", () -> server.get().openConnections() == 1);
      // Refused connections that say nothing keep their places until their handshake deadline:
      // 64 of them (ConnectionLimits.MAX_REJECTED_LINGERING_TLS) take every place there is.
      for (int i = 0; i < 64; i++) {
        silent.add(new Socket(server.address().getAddress(), server.address().getPort()));
      }
      try (var s =
          (javax.net.ssl.SSLSocket)
              TrustingTls.context()
                  .getSocketFactory()
                  .createSocket(holder.getInetAddress(), holder.getPort())) {
        s.setSoTimeout(10_000);
        // No place: closed at once, no session built for it, instead of a handshake and a 503.
        assertThrows(IOException.class, s::startHandshake);
      }
      for (Socket s : silent) {
        s.close();
      }
      // Their places come free as the server sees them close: refusals are answered again.
      var answered = new java.util.concurrent.atomic.AtomicReference<HttpResponse<String>>();
      Servers.await(
          Duration.ofSeconds(10),
          "a refusal answered again",
          () -> {
            try {
              answered.set(get(https, url));
              return true;
            } catch (Exception e) {
              return false;
            }
          });
      assertEquals(503, answered.get().statusCode());
      assertEquals("5", answered.get().headers().firstValue("Retry-After").orElseThrow());
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
  }

  @Test
  void aStoppingServerClosesIdleHttpConnections() throws Exception {
    try (var c = new RawHttp(server.address())) {
      assertEquals(200, c.exchange(RawHttp.get("GET", "/a.txt")).status());
      server.stop();
      assertTrue(c.closedByServer());
    }
  }
}
