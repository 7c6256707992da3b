package lanfetch.server.http;

import java.io.IOException;
import lanfetch.server.files.AnswerSink;

/**
 * Where HTTP answers go: the transport's {@link AnswerSink} (file bodies zero-copy, buffering,
 * hand-over of a slow reader's body to the event loop), plus raw bytes for response heads and small
 * generated bodies. One answer at a time, from one thread, as for {@link AnswerSink}.
 */
public interface HttpSink extends AnswerSink {
  /** Puts out {@code bytes} as they are; buffered until {@link #flush()} or a body. */
  void bytes(byte[] bytes) throws IOException;
}
