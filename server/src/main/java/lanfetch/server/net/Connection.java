package lanfetch.server.net;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection as the event loop sees it. Only the event-loop thread touches these
 * fields; a worker answering a request uses the channel alone, and only while {@link #busy}.
 */
final class Connection {
  final SocketChannel channel;
  final InetAddress address;
  /** "127.0.0.1:50412", for logs. */
  final String client;
  final ProtocolState session;
  /** Where protocol bytes go: the socket itself, or a {@link TlsChannel} over it. */
  ByteChannel io;
  /** The first bytes were looked at (to tell TLS from plain text). */
  boolean sniffed;
  /** A refusal held back for {@link #refusalDeadline} (a wrong token, slowed down). */
  lanfetch.protocol.ErrorMessage refusal;
  long refusalDeadline;
  /** Decoded requests and replies waiting their turn, in arrival order. */
  final ArrayDeque<Inbound> queue = new ArrayDeque<>();
  /** Whether this connection holds a slot in the connection limits. */
  final boolean counted;
  SelectionKey key;
  /** Bytes read but not yet decoded, because enough requests were already queued. */
  ByteBuffer unread;
  /** A worker is writing an answer on the channel. */
  boolean busy;
  /** A closing ERROR went out and output is shut; input is read and dropped until EOF. */
  boolean lingering;
  boolean closed;
  /** An answer was cut short; the close must be a reset. */
  boolean aborted;
  /**
   * Why the server itself closed the channel under a busy worker (stopping), so the worker
   * reports that rather than whatever its interrupted write made of it; null otherwise.
   */
  volatile String cutReason;
  /** Its slot in the limits was given back. */
  boolean released;
  /** Deadlines in System.nanoTime() terms; 0 when not running. */
  long handshakeDeadline;
  long frameDeadline;
  long idleDeadline;
  long lingerDeadline;

  Connection(SocketChannel channel, InetAddress address, String client, ProtocolState session,
      boolean counted) {
    this.channel = channel;
    this.io = channel;
    this.address = address;
    this.client = client;
    this.session = session;
    this.counted = counted;
  }

  /** The deadline that applies now, or 0 for none (a worker is busy: it has its own). */
  long deadline() {
    if (lingering) {
      return lingerDeadline;
    }
    if (busy) {
      return 0;
    }
    if (refusal != null) {
      return refusalDeadline;
    }
    long d = 0;
    if (!session.welcomed()) {
      d = handshakeDeadline;
    }
    if (session.inFrame()) {
      d = min(d, frameDeadline);
    } else if (session.welcomed() && queue.isEmpty()) {
      d = min(d, idleDeadline);
    }
    return d;
  }

  private static long min(long a, long b) {
    if (a == 0) {
      return b;
    }
    return b == 0 ? a : (a - b < 0 ? a : b);
  }
}
