package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class FrameReaderTest {

  private static FrameReader reader(String hex) {
    return new FrameReader(new ByteArrayInputStream(Hex.bytes(hex)));
  }

  @Test
  void writerProducesLengthPrefixedFrames() throws IOException {
    var out = new ByteArrayOutputStream();
    var writer = new FrameWriter(out);
    writer.write(new StatRequest("a"));
    writer.write(new HashRequest("b"));
    writer.flush();
    assertEquals("00 00 00 04 12 00 01 61 00 00 00 04 16 00 01 62", Hex.of(out.toByteArray()));
  }

  @Test
  void readsFramesThenCleanEndOfStream() throws IOException {
    var r = reader("00000004 12 0001 61   00000004 16 0001 62");
    assertEquals(new StatRequest("a"), r.read());
    assertEquals(new HashRequest("b"), r.read());
    assertNull(r.read());
    assertNull(r.read());
  }

  @Test
  void rawBodyFollowingGetHeaderIsReadFromTheSameStream() throws IOException {
    var r =
        reader(
            "00000021 15 0000000000000003 0000000000000000 0000000000000003 0000000000000000"
                + " 616263 00000004 12 0001 61");
    var header = (GetHeader) r.read();
    assertArrayEquals("abc".getBytes(), r.input().readNBytes((int) header.length()));
    assertEquals(new StatRequest("a"), r.read());
  }

  @Test
  void hugeLengthPrefixesFailWithoutAllocating() {
    for (String prefix : new String[] {"7FFFFFFF", "FFFFFFFF", "00010001"}) {
      var e = assertThrows(FrameTooLargeException.class, () -> reader(prefix).read());
      assertEquals(Long.parseLong(prefix, 16), e.length());
      assertEquals(65536, e.maximum());
      assertEquals(
          "frame length " + Long.parseLong(prefix, 16) + " exceeds maximum 65536", e.getMessage());
    }
  }

  @Test
  void configuredMaximumIsEnforced() {
    var r = new FrameReader(new ByteArrayInputStream(Hex.bytes("00000011")), 16);
    assertEquals(
        "frame length 17 exceeds maximum 16",
        assertThrows(FrameTooLargeException.class, r::read).getMessage());
  }

  @Test
  void largestAllowedFrameIsRead() throws IOException {
    // STAT with a 65533-byte name: 1 type + 2 length + 65533 = 65536.
    byte[] frame = new byte[4 + 65536];
    frame[1] = 1; // length 0x00010000
    frame[4] = Wire.TYPE_STAT;
    frame[5] = (byte) 0xFF;
    frame[6] = (byte) 0xFD;
    java.util.Arrays.fill(frame, 7, frame.length, (byte) 'x');
    var m = (StatRequest) new FrameReader(new ByteArrayInputStream(frame)).read();
    assertEquals(65533, m.path().length());
  }

  @Test
  void zeroLengthIsMalformed() {
    assertThrows(MalformedFrameException.class, () -> reader("00000000").read());
  }

  @Test
  void endOfStreamInsideLengthPrefix() {
    var e = assertThrows(EOFException.class, () -> reader("0000").read());
    assertEquals("stream ended inside a frame's length prefix after 2 of 4 bytes", e.getMessage());
  }

  @Test
  void endOfStreamInsidePayload() {
    var e = assertThrows(EOFException.class, () -> reader("00000004 12 00").read());
    assertEquals("stream ended inside a frame after 2 of 4 bytes", e.getMessage());
  }

  @Test
  void truncatedLengthDoesNotReadAheadIntoNextFrame() throws IOException {
    // A frame whose declared length is shorter than its fields: malformed, not a read-ahead.
    var r = reader("00000002 12 00   00000004 12 0001 61");
    assertThrows(MalformedFrameException.class, r::read);
  }

  @Test
  void readsFromADribblingStream() throws IOException {
    byte[] bytes = FrameWriter.frame(new Hello(1, 0, Map.of()), Wire.MAX_FRAME_SIZE);
    InputStream oneByteAtATime =
        new InputStream() {
          int i;

          @Override
          public int read() {
            return i < bytes.length ? bytes[i++] & 0xFF : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (i >= bytes.length) {
              return -1;
            }
            if (len == 0) {
              return 0;
            }
            b[off] = bytes[i++];
            return 1;
          }
        };
    assertEquals(Hello.current(), new FrameReader(oneByteAtATime).read());
  }

  @Test
  void writerRefusesFrameOverMaximum() {
    var w = new FrameWriter(new ByteArrayOutputStream(), 8);
    var e = assertThrows(FrameTooLargeException.class, () -> w.write(new StatRequest("abcdefgh")));
    assertEquals("frame length 11 exceeds maximum 8", e.getMessage());
  }
}
