package lanfetch.server.net;

import java.nio.channels.ByteChannel;

/**
 * What a worker may see of a connection while it answers: where to write, whom to name in logs, and
 * why the server cut the connection under it, if it did. The connection's state, queue and
 * deadlines stay with the event-loop thread.
 */
interface ConnectionHandle {
  /** Where answer bytes go: the socket itself, or the TLS channel over it. */
  ByteChannel channel();

  /** The client as logs name it, "127.0.0.1:50412". */
  String client();

  /**
   * Why the server itself closed the channel under the worker (stopping), so the worker reports
   * that rather than whatever its interrupted write made of it; null otherwise.
   */
  String cutReason();
}
