package lanfetch.protocol;

/**
 * A control message: the content of one frame. {@link MessageCodec} turns messages into bytes and
 * back; connection code sees only these types.
 */
public sealed interface Message
    permits Hello,
        Welcome,
        ListChunk,
        StatResult,
        GetHeader,
        HashResult,
        ErrorMessage,
        Message.Request {

  /** The type byte that starts this message's frame. */
  byte type();

  /** A request a client sends after the handshake. */
  sealed interface Request extends Message
      permits ListRequest, StatRequest, GetRequest, HashRequest {
    /** The name the request is about ("" for the root in LIST). */
    String path();
  }
}
