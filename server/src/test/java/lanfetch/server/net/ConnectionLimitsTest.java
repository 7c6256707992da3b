package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.util.OptionalInt;
import lanfetch.protocol.Wire;
import lanfetch.server.ServerConfig;
import org.junit.jupiter.api.Test;

/** The connection limits' bookkeeping: each slot is given back exactly once. */
class ConnectionLimitsTest {
  private static final InetAddress A = InetAddress.getLoopbackAddress();

  private static Connection connection(boolean counted) throws IOException {
    var socket = SocketChannel.open();
    return new Connection(
        socket,
        socket,
        A,
        "127.0.0.1:1",
        new ProtocolState(Wire.MAX_FRAME_SIZE, "lanfetch-server/test", 10),
        counted,
        1_000);
  }

  @Test
  void theTotalAndPerAddressLimitsRefuseWithTheirReason() throws Exception {
    var limits = new ConnectionLimits(3, 2, false);
    limits.admit(A);
    assertNull(limits.refusal(A));
    limits.admit(A);
    assertEquals("too many connections from 127.0.0.1 (limit 2); try later", limits.refusal(A));
    limits.admit(InetAddress.getByName("127.0.0.2"));
    assertEquals("server is at its limit of 3 connections; try later", limits.refusal(A));
    assertEquals(3, limits.open());
  }

  @Test
  void aLingeringConnectionGivesItsSlotBackOnceNotAgainAtClose() throws Exception {
    var limits = new ConnectionLimits(1, 1, false);
    var conn = connection(true);
    limits.admit(A);
    conn.detected();
    conn.lingering(2_000);
    limits.lingering(conn);
    assertEquals(0, limits.open());
    assertNull(limits.refusal(A), "its slot is free while it lingers");
    limits.closed(conn, conn.close(false));
    assertEquals(0, limits.open());
  }

  @Test
  void aConnectionClosedWithoutLingeringGivesItsSlotBackAtClose() throws Exception {
    var limits = new ConnectionLimits(1, 1, false);
    var conn = connection(true);
    limits.admit(A);
    limits.closed(conn, conn.close(false));
    assertEquals(0, limits.open());
    assertNull(limits.refusal(A));
  }

  @Test
  void refusedConnectionsLingerUpToTheirOwnCapAndFreeItAtClose() throws Exception {
    var limits = new ConnectionLimits(1, 1, false);
    for (int i = 0; i < ConnectionLimits.MIN_REJECTED_LINGERING; i++) {
      assertTrue(limits.lingerRefused());
    }
    assertFalse(limits.lingerRefused(), "a flood: the next refusal closes at once");
    var refused = connection(false);
    limits.closed(refused, refused.close(false));
    assertTrue(limits.lingerRefused());
    assertEquals(0, limits.open(), "refused connections never count as open");
  }

  @Test
  void onATlsServerFewerRefusedConnectionsLingerWhateverTheLimit() {
    var limits = new ConnectionLimits(4096, 64, true);
    for (int i = 0; i < ConnectionLimits.MAX_REJECTED_LINGERING_TLS; i++) {
      assertTrue(limits.lingerRefused());
    }
    assertFalse(limits.lingerRefused(), "each costs a TLS session's buffers until it closes");
  }

  @Test
  void aTlsServerRefusesConnectionsPastWhatItsHeapHolds() {
    long heap = 8L * 1024 * 1024;
    var limits = new ConnectionLimits(4096, 4096, true, heap);
    assertEquals(OptionalInt.of(136), limits.heapBound());
    for (int i = 0; i < 136; i++) {
      assertNull(limits.refusal(A));
      limits.admit(A);
    }
    assertEquals(
        "server is at its limit of 136 TLS connections, what its 8 MB heap holds; try later",
        limits.refusal(A));
  }

  @Test
  void theLaunchersHeapHoldsTheDefaultLimitOfTlsConnections() {
    long launcherHeap = 64_880_640; // Runtime.maxMemory() under -Xmx64m -XX:+UseSerialGC
    assertEquals(1056, ConnectionLimits.tlsConnectionsFor(launcherHeap));
    assertEquals(
        OptionalInt.empty(),
        new ConnectionLimits(ServerConfig.DEFAULT_MAX_CONNECTIONS, 64, true, launcherHeap)
            .heapBound());
    assertEquals(
        OptionalInt.empty(),
        new ConnectionLimits(4096, 64, false, launcherHeap).heapBound(),
        "without TLS an idle connection costs a few kilobytes");
  }
}
