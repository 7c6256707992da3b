package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  /** STAT "nope": length 7, type 0x12, a u16 name length and the name. */
  private static final byte[] STAT_NOPE = {0, 0, 0, 7, 0x12, 0, 4, 'n', 'o', 'p', 'e'};

  @Test
  void aFrameSplitAcrossReadsComesOutOnceItsLastByteArrives() throws Exception {
    var decoder = new FrameDecoder(Wire.MAX_CLIENT_FRAME);
    assertNull(decoder.next(ByteBuffer.wrap(STAT_NOPE, 0, 2)));
    assertTrue(decoder.inFrame());
    assertNull(decoder.next(ByteBuffer.wrap(STAT_NOPE, 2, 7)));
    assertEquals(7, decoder.buffered());
    var rest = ByteBuffer.allocate(6).put(STAT_NOPE, 9, 2).put(new byte[] {0, 0, 0, 7}).flip();
    assertEquals(new StatRequest("nope"), decoder.next(rest));
    assertEquals(4, rest.remaining(), "the next frame's bytes stay in the buffer");
    assertFalse(decoder.inFrame());
    assertEquals(0, decoder.buffered());
  }

  @Test
  void aLengthPrefixOverTheCapIsRefusedBeforeAnyPayloadBuffer() {
    var decoder = new FrameDecoder(Wire.MAX_CLIENT_FRAME);
    var prefix = ByteBuffer.wrap(new byte[] {0x00, 0x01, 0x00, 0x00});
    var e = assertThrows(FrameTooLargeException.class, () -> decoder.next(prefix));
    assertEquals("frame length 65536 exceeds maximum 4352", e.getMessage());
    assertEquals(0, decoder.buffered());
  }

  @Test
  void bothDecodersRefuseTheSameLengthsWithTheSameWords() {
    byte[] zero = {0, 0, 0, 0};
    byte[] huge = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    for (byte[] prefix : new byte[][] {zero, huge}) {
      var nonBlocking =
          assertThrows(
              ProtocolException.class,
              () -> new FrameDecoder(Wire.MAX_FRAME_SIZE).next(ByteBuffer.wrap(prefix)));
      var blocking =
          assertThrows(
              ProtocolException.class,
              () -> new FrameReader(new ByteArrayInputStream(prefix)).read());
      assertEquals(blocking.getClass(), nonBlocking.getClass());
      assertEquals(blocking.getMessage(), nonBlocking.getMessage());
    }
  }
}
