package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.server.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PROTOCOL.md section 6: after the client's end of stream, every request is still answered. */
class HalfCloseTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @Test
  void everyPipelinedRequestIsAnsweredThenTheServerCloses() throws Exception {
    byte[] big = new byte[3 << 20];
    new java.util.Random(7).nextBytes(big);
    Files.write(server.root().resolve("big.bin"), big);
    Files.writeString(server.root().resolve("a.txt"), "hello");
    int requests = ConnectionHandler.MAX_QUEUED * 3; // more than are decoded ahead at once
    try (var c = server.open()) {
      var sent = new Message[requests];
      for (int i = 0; i < requests; i++) {
        sent[i] =
            i % 3 == 0
                ? GetRequest.whole("big.bin")
                : i % 3 == 1 ? new StatRequest("a.txt") : new StatRequest("nope" + i);
      }
      // The first answer is megabytes: the client's FIN arrives while a worker is writing.
      c.send(sent);
      c.socket().shutdownOutput();
      for (int i = 0; i < requests; i++) {
        if (i % 3 == 0) {
          assertArrayEquals(
              big, c.body(assertInstanceOf(GetHeader.class, c.read())), "answer " + i);
        } else if (i % 3 == 1) {
          assertEquals("a.txt", assertInstanceOf(StatResult.class, c.read()).entry().name());
        } else {
          c.expectError(ErrorCode.NOT_FOUND);
        }
      }
      assertNull(c.readOrEnd(), "end of stream right after the last answer");
    }
  }
}
