package lanfetch.server.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The connection limits: how many connections are open in all and from each address, and how many
 * refused ones may wait to show their protocol and linger to deliver their refusal. Counted by the
 * event-loop thread only; {@link #open()} may be read from any thread.
 *
 * <p>A counted connection gives its slot back once: when it starts lingering (it will not send
 * another request) or, if it never lingers, when it closes. A refused connection gives its
 * lingering place back when it closes.
 */
final class ConnectionLimits {
  /** Refused connections that may linger at once, however low the connection limit. */
  static final int MIN_REJECTED_LINGERING = 256;

  /**
   * Refused connections that may linger at once on a TLS server, whatever the connection limit.
   * Each may hold up to {@link #IDLE_TLS_BYTES} until its handshake is done, so that they can be
   * told BUSY inside TLS: 64 of them cost under 3 MB.
   */
  static final int MAX_REJECTED_LINGERING_TLS = 64;

  /**
   * The most heap an idle TLS connection holds, with room to spare: the state of a handshake under
   * way and an input buffer (16.7 KB) holding a record that has not all arrived, with the
   * connection's own few kilobytes; measured, 27.4 KB. One that sent nothing holds about 1 KB, an
   * idle established one about 7 KB.
   */
  static final int IDLE_TLS_BYTES = 36 * 1024;

  private final int maxConnections;

  /** Connections a TLS server's heap holds, however idle peers leave them; MAX_VALUE without. */
  private final int heapLimit;

  private final long maxHeap;
  private final int maxPerAddress;
  private final int maxRejectedLingering;
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private int counted;
  private int rejectedLingering;
  private volatile int open;

  /**
   * @param tls whether connections speak TLS, which makes each one waiting to be refused costly
   */
  ConnectionLimits(int maxConnections, int maxPerAddress, boolean tls) {
    this(maxConnections, maxPerAddress, tls, Runtime.getRuntime().maxMemory());
  }

  /**
   * @param maxHeap the heap's size: over TLS, connections past what it holds are refused
   */
  ConnectionLimits(int maxConnections, int maxPerAddress, boolean tls, long maxHeap) {
    this.maxConnections = maxConnections;
    this.maxHeap = maxHeap;
    this.heapLimit = tls ? tlsConnectionsFor(maxHeap) : Integer.MAX_VALUE;
    this.maxPerAddress = maxPerAddress;
    this.maxRejectedLingering =
        tls ? MAX_REJECTED_LINGERING_TLS : Math.max(MIN_REJECTED_LINGERING, maxConnections);
  }

  /**
   * TLS connections a heap of {@code maxHeap} bytes holds when each is as costly as an idle one can
   * be: three fifths of it, as listings may take a quarter and the rest is the server's own and the
   * transfers' under way: 1,056 in the launcher's 64 MB heap.
   */
  static int tlsConnectionsFor(long maxHeap) {
    return (int) Math.min(Integer.MAX_VALUE, maxHeap / 5 * 3 / IDLE_TLS_BYTES);
  }

  /** The heap's limit on TLS connections when it is below the configured one, else empty. */
  OptionalInt heapBound() {
    return heapLimit < maxConnections ? OptionalInt.of(heapLimit) : OptionalInt.empty();
  }

  /** Connections counted against the limits now. */
  int open() {
    return open;
  }

  /** Why a new connection from {@code address} is refused, or null if it may stay. */
  String refusal(InetAddress address) {
    if (counted >= maxConnections) {
      return "server is at its limit of " + maxConnections + " connections; try later";
    }
    if (counted >= heapLimit) {
      return "server is at its limit of "
          + heapLimit
          + " TLS connections, what its "
          + maxHeap / (1024 * 1024)
          + " MB heap holds; try later";
    }
    if (perAddress.getOrDefault(address, 0) >= maxPerAddress) {
      return "too many connections from "
          + address.getHostAddress()
          + " (limit "
          + maxPerAddress
          + "); try later";
    }
    return null;
  }

  /** Counts a connection from {@code address} that {@link #refusal} let in. */
  void admit(InetAddress address) {
    counted++;
    perAddress.merge(address, 1, Integer::sum);
    open = counted;
  }

  /**
   * Takes a lingering place for a refused connection, if one is free: in a flood of refusals, the
   * BUSY goes out and the connection closes at once instead.
   */
  boolean lingerRefused() {
    if (rejectedLingering >= maxRejectedLingering) {
      return false;
    }
    rejectedLingering++;
    return true;
  }

  /** {@code conn} started lingering. */
  void lingering(Connection conn) {
    if (conn.counted) {
      release(conn.address);
    }
  }

  /** {@code conn} closed; {@code was} is the state it closed from. */
  void closed(Connection conn, Connection.State was) {
    if (!conn.counted) {
      rejectedLingering--;
    } else if (was != Connection.State.LINGERING) {
      release(conn.address);
    }
  }

  private void release(InetAddress address) {
    counted--;
    perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    open = counted;
  }
}
