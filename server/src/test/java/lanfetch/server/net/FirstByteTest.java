package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Wire;
import org.junit.jupiter.api.Test;

/** Telling protocols apart by the first byte a client sends. */
class FirstByteTest {
  private static FirstByte of(byte[] bytes) {
    return FirstByte.of(ByteBuffer.wrap(bytes));
  }

  private static FirstByte of(int... bytes) {
    var b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return of(b);
  }

  @Test
  void aLanfetchHelloStartsWithItsLengthPrefix() throws Exception {
    byte[] hello = FrameWriter.frame(Hello.current(), Wire.MAX_CLIENT_FRAME);
    assertEquals(FirstByte.LANFETCH, of(hello));
  }

  @Test
  void aTlsClientHelloStartsWithAHandshakeRecord() {
    // handshake (0x16), version 3.1, length 0x00C4, ClientHello (0x01)
    assertEquals(FirstByte.TLS, of(0x16, 0x03, 0x01, 0x00, 0xC4, 0x01));
  }

  @Test
  void anHttpRequestStartsWithItsMethodsFirstLetter() {
    for (String method : new String[] {"GET", "HEAD", "POST", "OPTIONS", "PRI", "get"}) {
      String line = method + " / HTTP/1.1\r\n";
      assertEquals(FirstByte.HTTP, of(line.getBytes(StandardCharsets.US_ASCII)), method);
    }
  }

  @Test
  void anythingElseIsNoProtocolThisServerSpeaks() {
    assertEquals(FirstByte.OTHER, of(" GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(FirstByte.OTHER, of('1', '2'));
    assertEquals(FirstByte.OTHER, of(0x15, 0x03, 0x03)); // a TLS alert, not a hello
    assertEquals(FirstByte.OTHER, of(0xFF));
    assertEquals(FirstByte.OTHER, of(0x01, 0x00, 0x00, 0x00));
  }

  @Test
  void theByteAtThePositionIsLookedAtAndNotConsumed() {
    var buf = ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x16, 0x03});
    buf.position(1);
    assertEquals(FirstByte.TLS, FirstByte.of(buf));
    assertEquals(1, buf.position());
  }

  @Test
  void noByteCannotBeClassified() {
    assertThrows(IllegalArgumentException.class, () -> FirstByte.of(ByteBuffer.allocate(0)));
  }
}
