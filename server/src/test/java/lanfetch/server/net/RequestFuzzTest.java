package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.Message;
import lanfetch.protocol.Wire;
import lanfetch.server.files.Outcome;
import lanfetch.server.files.RequestHandler;

/**
 * Arbitrary bytes from a client, through the connection's protocol state machine and the request
 * handler, against a jimfs tree with a link leading out of the root. Whatever arrives: nothing
 * throws, every refusal is a typed ERROR, the answer stream parses as valid frames, and no byte of
 * the outside file is ever sent.
 *
 * <p>The seed corpus in src/test/resources/lanfetch/server/net/RequestFuzzTestInputs replays in
 * every build; {@code JAZZER_FUZZ=1 mvn -pl server test -Dtest=RequestFuzzTest} fuzzes for real.
 */
class RequestFuzzTest {
  private static final String SECRET = "OUTSIDE-SECRET-BYTES";
  private static final Set<Integer> SESSION_ERRORS =
      Set.of(
          ErrorCode.BAD_REQUEST.code(),
          ErrorCode.UNSUPPORTED_VERSION.code(),
          ErrorCode.TOO_MANY_REQUESTS.code());
  private static final RequestHandler HANDLER = handler();

  private static RequestHandler handler() {
    try {
      FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
      Path root = Files.createDirectories(fs.getPath("/srv/files"));
      Files.writeString(fs.getPath("/srv/files-private"), SECRET);
      Files.writeString(fs.getPath("/srv/outside.txt"), SECRET);
      Files.writeString(root.resolve("a.txt"), "hello");
      Files.write(root.resolve("empty"), new byte[0]);
      Files.createDirectories(root.resolve("dir/sub"));
      Files.writeString(root.resolve("dir/sub/报告.txt"), "数据");
      Files.writeString(root.resolve(".hidden"), SECRET);
      Files.createSymbolicLink(root.resolve("out"), fs.getPath("/srv/outside.txt"));
      Files.createSymbolicLink(root.resolve("updir"), fs.getPath("/srv"));
      Files.createSymbolicLink(root.resolve("in"), root.resolve("a.txt"));
      Path real = root.toRealPath();
      return RequestHandler.create(real, true, false, Wire.MAX_FRAME_SIZE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void arbitraryClientBytes(byte[] input) throws IOException {
    var session = new ProtocolState(Wire.MAX_FRAME_SIZE, "lanfetch-server/fuzz", 50);
    var answers = new ByteArrayOutputStream();
    var out =
        new AnswerWriter(Channels.newChannel(answers), Wire.MAX_FRAME_SIZE, Duration.ofSeconds(1));
    // The first byte picks how the rest is cut into reads, as a socket would.
    int step = input.length == 0 ? 1 : 1 + (input[0] & 0x3F);
    for (int i = 1; i < input.length && !session.failed(); i += step) {
      var read = ByteBuffer.wrap(input, i, Math.min(step, input.length - i));
      session.receive(read, inbound -> handle(inbound, out));
    }
    out.flush();
    assertAnswersParse(answers.toByteArray());
  }

  private static void handle(Inbound inbound, AnswerWriter out) {
    try {
      if (inbound instanceof Inbound.Reply r) {
        out.frame(r.message());
      } else if (inbound instanceof Inbound.Work w) {
        Outcome o = HANDLER.handle(w.request(), out);
        assertFalse(o.closeConnection(), () -> "request " + w.request() + " broke: " + o);
      } else if (inbound instanceof Inbound.Fail f) {
        assertTrue(SESSION_ERRORS.contains(f.error().code()), f.error().toString());
        assertTrue(f.error().closing());
        out.frame(f.error());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertAnswersParse(byte[] answers) throws IOException {
    assertFalse(
        new String(answers, StandardCharsets.ISO_8859_1).contains(SECRET),
        "an answer carried bytes from outside the root or a hidden file");
    var reader = new FrameReader(new ByteArrayInputStream(answers));
    Message m;
    while ((m = reader.read()) != null) {
      if (m instanceof GetHeader h) {
        long skipped = reader.input().skip(h.length());
        assertEquals(h.length(), skipped);
      } else if (m instanceof ErrorMessage e) {
        assertNotEquals("", e.message());
        assertTrue(ErrorCode.fromCode(e.code()).isPresent());
      }
    }
  }
}
