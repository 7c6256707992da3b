package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Map;
import java.util.Random;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Message;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.Welcome;
import lanfetch.server.ServerExtension;
import lanfetch.server.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The answer writer's gathering buffer and zero-copy bodies, seen from a real client. */
class AnswerWriterTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @Test
  void smallAndLargeAnswersMixedInOnePipelineArriveWholeAndInOrder() throws IOException {
    // Small bodies are gathered into one write, large ones go zero-copy: the seams between
    // the two, a body that just fits, and an error among them must all keep their order.
    int[] sizes = {
      1,
      AnswerWriter.SMALL_BODY,
      AnswerWriter.SMALL_BODY + 1,
      5000,
      AnswerWriter.BUFFER_SIZE - 20,
      3 * AnswerWriter.BUFFER_SIZE,
      0,
      4096
    };
    var random = new Random(11);
    var contents = new byte[sizes.length][];
    var requests = new ArrayList<Message>();
    requests.add(new Hello(1, 0, Map.of()));
    for (int i = 0; i < sizes.length; i++) {
      contents[i] = new byte[sizes[i]];
      random.nextBytes(contents[i]);
      Files.write(server.root().resolve("f" + i), contents[i]);
      requests.add(GetRequest.whole("f" + i));
      requests.add(new StatRequest("missing" + i));
    }
    try (var c = TestClient.connect(server.address())) {
      c.send(requests.toArray(new Message[0]));
      assertInstanceOf(Welcome.class, c.read());
      for (int i = 0; i < sizes.length; i++) {
        assertArrayEquals(
            contents[i],
            c.body(assertInstanceOf(GetHeader.class, c.read())),
            "file f" + i + " of " + sizes[i] + " bytes");
        c.expectError(ErrorCode.NOT_FOUND);
      }
    }
  }
}
