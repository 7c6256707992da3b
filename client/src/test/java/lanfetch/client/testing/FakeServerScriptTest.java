package lanfetch.client.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServer.Kind;
import lanfetch.client.testing.FakeServer.RecordedRequest;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.server.TestClient;
import org.junit.jupiter.api.Test;

/** The fake's script: which request a fault reaches, and what it records. */
class FakeServerScriptTest extends FakeServerTest {
  private TestClient connect() throws IOException {
    return TestClient.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
  }

  private TestClient open() throws IOException {
    var c = connect();
    c.handshake();
    return c;
  }

  @Test
  void anEnqueuedFaultReachesOnlyTheNextMatchingRequest() throws Exception {
    server.put("a", new byte[100]).put("b", new byte[100]);
    server.enqueue(Fault.LONG_BODY.by(5).forPath("b"));
    try (var c = open()) {
      c.send(GetRequest.whole("a"), GetRequest.whole("b"));
      assertArrayEquals(
          new byte[100], c.body(assertInstanceOf(GetHeader.class, c.read())), "a is honest");
      assertArrayEquals(new byte[100], c.body(assertInstanceOf(GetHeader.class, c.read())));
      assertArrayEquals(new byte[5], c.input().readNBytes(5), "b has five bytes too many");
    }
    try (var c = open()) {
      assertEquals(100, c.get("b").length, "the fault was used up");
      c.socket().shutdownOutput();
      assertNull(c.readOrEnd(), "nothing after the honest body");
    }
    var gets = server.takeAll(Kind.GET);
    assertEquals(
        Arrays.asList(null, Fault.LONG_BODY, null),
        gets.stream().map(RecordedRequest::fault).toList());
    assertEquals(List.of(1, 1, 2), gets.stream().map(RecordedRequest::connection).toList());
  }

  @Test
  void enqueuedFaultsComeBeforeTheDefaultAndRequestsAreTakenInOrder() throws Exception {
    server.put("a", new byte[1]);
    server.setDefault(Fault.REFUSE.with(ErrorCode.UNAUTHORIZED)).enqueue(Fault.BUSY);
    try (var c = connect()) {
      c.send(Hello.current());
      c.expectError(ErrorCode.BUSY);
    }
    try (var c = connect()) {
      c.send(Hello.current());
      c.expectError(ErrorCode.UNAUTHORIZED);
    }
    server.clearDefault(Kind.HELLO);
    try (var c = open()) {
      c.send(new StatRequest("a"));
      assertEquals(1, assertInstanceOf(StatResult.class, c.read()).entry().size());
    }
    RecordedRequest first = server.takeRequest();
    assertEquals(
        List.of(Kind.HELLO, 1, 1, Fault.BUSY),
        List.of(first.kind(), first.connection(), first.sequence(), first.fault()));
    assertEquals(Fault.REFUSE, server.takeRequest().fault());
    RecordedRequest honest = server.takeRequest();
    assertEquals(List.of(Kind.HELLO, 3), List.of(honest.kind(), honest.connection()));
    assertNull(honest.fault());
    RecordedRequest stat = server.takeRequest();
    assertEquals(new StatRequest("a"), stat.message());
    assertEquals(List.of(3, 4), List.of(stat.connection(), stat.sequence()));
    assertEquals(4, server.requestCount());
    assertEquals(3, server.connectionCount());
  }

  @Test
  void aFaultWithoutItsArgumentIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> server.enqueue(Fault.REFUSE));
    assertThrows(IllegalArgumentException.class, () -> server.enqueue(Fault.ENDLESS_LISTING));
    assertThrows(IllegalArgumentException.class, () -> server.enqueue(Fault.BUSY.forPath("a")));
  }
}
