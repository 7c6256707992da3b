package lanfetch.server.net;

import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.Message;
import lanfetch.server.http.HttpCall;

/**
 * What a {@link ProtocolState} or an HTTP session makes of incoming bytes, in the order the answers
 * must go out.
 */
sealed interface Inbound {
  /** Send this frame at once; it needs no file access (WELCOME). */
  record Reply(Message message) implements Inbound {}

  /** A request for a worker to answer. */
  record Work(Message.Request request) implements Inbound {}

  /** An HTTP request: a worker answers it, or the loop sends its refusal and closes. */
  record Call(HttpCall call) implements Inbound {}

  /** Send this closing ERROR after the answers before it, then close. */
  record Fail(ErrorMessage error) implements Inbound {
    static Fail of(ErrorCode code, String message) {
      return new Fail(ErrorMessage.of(code, message));
    }
  }
}
