package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exchange of PROTOCOL.md section 7, byte for byte. Keep the two in step. */
final class WorkedExampleTest {
  private static final long MTIME = 1795305600000L; // 2026-11-22T00:00:00Z

  private static final String CLIENT =
      """
      00 00 00 0B  01  4C 4E 46 54  00 01  00 00 00 00
      00 00 00 18  14  00 05 61 2E 74 78 74
                       00 00 00 00 00 00 00 00
                       FF FF FF FF FF FF FF FF
      00 00 00 07  12  00 04 6E 6F 70 65
      """;

  private static final String SERVER =
      """
      00 00 00 1E  02  00 01  00 00 00 00
                       00 15 6C 61 6E 66 65 74 63 68 2D 73 65 72
                       76 65 72 2F 30 2E 31 2E 30
      00 00 00 21  15  00 00 00 00 00 00 00 05
                       00 00 00 00 00 00 00 00
                       00 00 00 00 00 00 00 05
                       00 00 01 A2 00 8D 74 00
      68 65 6C 6C 6F
      00 00 00 1A  7F  00 03  00  00 14 6E 6F 20 73 75 63 68 20
                       66 69 6C 65 3A 20 22 6E 6F 70 65 22
      """;

  @Test
  void clientBytes() throws IOException {
    var out = new ByteArrayOutputStream();
    var w = new FrameWriter(out);
    w.write(Hello.current());
    w.write(GetRequest.whole("a.txt"));
    w.write(new StatRequest("nope"));
    assertEquals(Hex.of(Hex.bytes(CLIENT)), Hex.of(out.toByteArray()));
  }

  @Test
  void serverBytes() throws IOException {
    var out = new ByteArrayOutputStream();
    var w = new FrameWriter(out);
    w.write(new Welcome(1, 0, "lanfetch-server/0.1.0"));
    w.write(new GetHeader(5, 0, 5, MTIME));
    w.flush();
    out.write("hello".getBytes(StandardCharsets.US_ASCII));
    w.write(ErrorMessage.of(ErrorCode.NOT_FOUND, "no such file: \"nope\""));
    assertEquals(Hex.of(Hex.bytes(SERVER)), Hex.of(out.toByteArray()));
  }

  @Test
  void serverBytesDecode() throws IOException {
    var r = new FrameReader(new ByteArrayInputStream(Hex.bytes(SERVER)));
    assertEquals(new Welcome(1, 0, "lanfetch-server/0.1.0"), r.read());
    var header = (GetHeader) r.read();
    assertEquals(new GetHeader(5, 0, 5, MTIME), header);
    assertArrayEquals(
        "hello".getBytes(StandardCharsets.US_ASCII), r.input().readNBytes((int) header.length()));
    var error = (ErrorMessage) r.read();
    assertEquals(ErrorCode.NOT_FOUND, error.errorCode().orElseThrow());
    assertNull(r.read());
  }
}
