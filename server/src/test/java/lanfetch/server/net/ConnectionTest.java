package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.Wire;
import lanfetch.server.net.Connection.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's state machine without a network: which moves are legal, and which deadline
 * applies in each state. Deadlines are plain numbers here; the loop uses System.nanoTime().
 */
class ConnectionTest {
  private static final long HANDSHAKE = 1_000;
  private static final ErrorMessage REFUSAL =
      ErrorMessage.of(ErrorCode.UNAUTHORIZED, "wrong access token");

  private SocketChannel socket;
  private Connection conn;

  @BeforeEach
  void accept() throws IOException {
    socket = SocketChannel.open(); // never connected: the state machine needs no peer
    conn =
        new Connection(
            socket,
            socket,
            InetAddress.getLoopbackAddress(),
            "127.0.0.1:50412",
            new ProtocolState(Wire.MAX_FRAME_SIZE, "lanfetch-server/test", 100),
            true,
            HANDSHAKE);
  }

  @AfterEach
  void close() throws IOException {
    socket.close();
  }

  /** Feeds the first two bytes of a length prefix: the decoder is now inside a frame. */
  private void startAFrame() {
    conn.protocol.next(ByteBuffer.wrap(new byte[] {0, 0}));
    assertTrue(conn.protocol.inFrame());
  }

  @Test
  void aNewConnectionIsDetectingUnderTheHandshakeDeadline() {
    assertEquals(State.DETECTING, conn.state());
    assertEquals(HANDSHAKE, conn.deadline());
    assertFalse(conn.handshakeExpired(HANDSHAKE - 1));
    assertTrue(conn.handshakeExpired(HANDSHAKE));
  }

  @Test
  void theWholeLifeOfAConnectionSetsEachStatesDeadline() {
    conn.detected();
    assertEquals(State.HANDSHAKING, conn.state());
    assertEquals(HANDSHAKE, conn.deadline());

    conn.ready(5_000);
    assertEquals(State.READY, conn.state());
    assertEquals(5_000, conn.deadline());
    assertFalse(conn.handshakeExpired(HANDSHAKE), "welcomed: the handshake clock is over");

    conn.answering();
    assertEquals(State.ANSWERING, conn.state());
    assertEquals(0, conn.deadline(), "a worker has the connection: its send timeout applies");

    conn.ready(7_000);
    assertEquals(State.READY, conn.state());
    assertEquals(7_000, conn.deadline());
    conn.ready(8_000);
    assertEquals(8_000, conn.deadline(), "each request restarts the idle clock");

    conn.lingering(9_000);
    assertEquals(State.LINGERING, conn.state());
    assertEquals(9_000, conn.deadline());

    assertEquals(State.LINGERING, conn.close(false));
    assertEquals(State.CLOSED, conn.state());
    assertEquals(0, conn.deadline());
    assertFalse(socket.isOpen(), "the connection closes its own socket");
    assertNull(conn.close(false), "closing twice is a no-op");
  }

  @Test
  void aRefusalIsHeldUntilItsDeadlineThenLingers() {
    conn.detected();
    conn.queue.add(new Inbound.Reply(REFUSAL));
    conn.unread = ByteBuffer.allocate(3);
    conn.refusing(REFUSAL, 3_000);
    assertEquals(State.REFUSING, conn.state());
    assertEquals(3_000, conn.deadline());
    assertSame(REFUSAL, conn.refusal());
    assertTrue(conn.queue.isEmpty() && conn.unread == null, "nothing pipelined is answered");

    conn.lingering(4_000);
    assertNull(conn.refusal());
    assertEquals(4_000, conn.deadline());
  }

  @Test
  void aRefusedTlsConnectionWaitsForItsHandshakeBeforeRefusing() {
    conn.refusing(REFUSAL, HANDSHAKE);
    assertEquals(State.REFUSING, conn.state());
    assertEquals(HANDSHAKE, conn.deadline());
  }

  @Test
  void insideAFrameTheSoonerOfHandshakeAndFrameDeadlineApplies() {
    conn.detected();
    startAFrame();
    conn.frameStarted(600);
    assertEquals(600, conn.deadline());
    conn.frameStarted(1_500);
    assertEquals(HANDSHAKE, conn.deadline());
    assertFalse(conn.handshakeExpired(600), "at 600 it was the frame that timed out");
  }

  @Test
  void insideAFrameAfterTheHandshakeOnlyTheFrameDeadlineApplies() {
    conn.detected();
    conn.ready(5_000);
    startAFrame();
    conn.frameStarted(9_000);
    assertEquals(9_000, conn.deadline(), "idle does not apply while a request arrives");
  }

  @Test
  void anAnswerCutShortClosesWithAReset() {
    conn.detected();
    conn.ready(5_000);
    conn.answering();
    assertEquals(State.ANSWERING, conn.close(false));
    assertEquals(State.CLOSED, conn.state());
  }

  @Test
  void illegalMovesAreRejectedAndLeaveTheStateAsItWas() {
    assertIllegal(() -> conn.answering(), State.DETECTING);
    assertIllegal(() -> conn.ready(5_000), State.DETECTING);
    conn.detected();
    assertIllegal(() -> conn.detected(), State.HANDSHAKING);
    assertIllegal(() -> conn.answering(), State.HANDSHAKING);
    conn.ready(5_000);
    conn.answering();
    assertIllegal(() -> conn.refusing(REFUSAL, 3_000), State.ANSWERING);
    assertIllegal(() -> conn.answering(), State.ANSWERING);
    assertIllegal(() -> conn.lingering(9_000), State.ANSWERING);
    conn.ready(6_000);
    conn.lingering(9_000);
    assertIllegal(() -> conn.ready(10_000), State.LINGERING);
    assertIllegal(() -> conn.lingering(10_000), State.LINGERING);
    conn.close(false);
    assertIllegal(() -> conn.detected(), State.CLOSED);
    assertIllegal(() -> conn.ready(10_000), State.CLOSED);
  }

  private void assertIllegal(Runnable move, State from) {
    var e = assertThrows(IllegalStateException.class, move::run);
    assertTrue(e.getMessage().contains("cannot go from " + from), e.getMessage());
    assertEquals(from, conn.state());
  }
}
