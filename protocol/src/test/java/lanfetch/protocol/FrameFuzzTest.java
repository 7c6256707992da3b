package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;

/**
 * Arbitrary bytes through the frame reader: the only failures allowed are the typed ones, and
 * whatever decodes re-encodes to a message that decodes equal. The seed corpus under {@code
 * FrameFuzzTestInputs/} replays in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
final class FrameFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodeFrames(byte[] data) throws Exception {
    var reader = new FrameReader(new ByteArrayInputStream(data), 4096);
    try {
      Message m;
      while ((m = reader.read()) != null) {
        byte[] payload = MessageCodec.encode(m);
        assertEquals(m, MessageCodec.decode(payload));
        if (m instanceof GetHeader h) {
          reader.input().skipNBytes(Math.min(h.length(), reader.input().available()));
        }
      }
    } catch (ProtocolException | EOFException expected) {
      // Typed rejection of malformed input is the correct outcome.
    }
  }
}
