package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each message: hand-written payload bytes, the encoder produces exactly them, they decode back.
 */
final class MessageCodecTest {

  private static void roundTrip(Message message, String hex) throws Exception {
    byte[] expected = Hex.bytes(hex);
    assertEquals(Hex.of(expected), Hex.of(MessageCodec.encode(message)));
    assertEquals(message, MessageCodec.decode(expected));
  }

  @Test
  void hello() throws Exception {
    roundTrip(new Hello(1, 0, Map.of()), "01 4C4E4654 0001 00000000");
  }

  @Test
  void helloWithExtensions() throws Exception {
    roundTrip(
        new Hello(1, 5, Map.of(1, "tok".getBytes(StandardCharsets.UTF_8), 9, new byte[0])),
        "01 4C4E4654 0001 00000005  01 0003 746F6B  09 0000");
  }

  @Test
  void welcome() throws Exception {
    roundTrip(new Welcome(1, 0, "s/1"), "02 0001 00000000 0003 732F31");
  }

  @Test
  void listRecursiveRoot() throws Exception {
    roundTrip(new ListRequest("", true), "10 0000 01");
    roundTrip(new ListRequest("logs", false), "10 0004 6C6F6773 00");
  }

  @Test
  void listChunk() throws Exception {
    var entries =
        List.of(new Entry(EntryKind.DIRECTORY, 0, 1, "d"), new Entry(EntryKind.FILE, 258, -1, "报"));
    roundTrip(
        new ListChunk(entries, true),
        "11 01 0002"
            + " 02 0000000000000000 0000000000000001 0001 64"
            + " 01 0000000000000102 FFFFFFFFFFFFFFFF 0003 E68AA5");
  }

  @Test
  void statAndResult() throws Exception {
    roundTrip(new StatRequest("a"), "12 0001 61");
    roundTrip(
        new StatResult(new Entry(EntryKind.FILE, 5, 0, "a")),
        "13 01 0000000000000005 0000000000000000 0001 61");
  }

  @Test
  void getWholeAndRange() throws Exception {
    roundTrip(GetRequest.whole("a"), "14 0001 61 0000000000000000 FFFFFFFFFFFFFFFF");
    roundTrip(new GetRequest("a", 16, 32), "14 0001 61 0000000000000010 0000000000000020");
  }

  @Test
  void getHeader() throws Exception {
    roundTrip(
        new GetHeader(10, 4, 6, 7),
        "15 000000000000000A 0000000000000004 0000000000000006 0000000000000007");
  }

  @Test
  void hashAndResult() throws Exception {
    roundTrip(new HashRequest("a"), "16 0001 61");
    roundTrip(new HashRequest("a", 2, 0x40000), "18 0001 61 0000000000000002 0000000000040000");
    byte[] digest = new byte[32];
    digest[0] = (byte) 0xAB;
    digest[31] = 0x01;
    roundTrip(
        new HashResult(3, 2, digest),
        "17 0000000000000003 0000000000000002 AB" + "00".repeat(30) + "01");
  }

  @Test
  void error() throws Exception {
    roundTrip(ErrorMessage.of(ErrorCode.NOT_FOUND, "x"), "7F 0003 00 0001 78");
    roundTrip(ErrorMessage.of(ErrorCode.BUSY, ""), "7F 0009 01 0000");
  }

  @Test
  void unknownErrorCodeKeepsItsNumberAndClosingFlag() throws Exception {
    var e = (ErrorMessage) MessageCodec.decode(Hex.bytes("7F 1234 01 0000"));
    assertEquals(0x1234, e.code());
    assertTrue(e.closing());
    assertTrue(e.errorCode().isEmpty());
    assertEquals("0x1234", e.codeName());
  }

  @Test
  void unknownTypeIsTyped() {
    var e =
        assertThrows(
            UnknownMessageTypeException.class, () -> MessageCodec.decode(Hex.bytes("42 00")));
    assertEquals(0x42, e.type());
    assertEquals("unknown message type 0x42", e.getMessage());
  }

  @Test
  void bytesLeftOverAreMalformed() {
    var e =
        assertThrows(
            MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("12 0001 61 00")));
    assertEquals("1 bytes left over after StatRequest", e.getMessage());
  }

  @Test
  void truncatedFieldIsMalformed() {
    assertThrows(
        MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("14 0001 61 0000")));
    var e =
        assertThrows(
            MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("12 0005 61")));
    assertEquals("string of 5 bytes but only 1 bytes left in the frame", e.getMessage());
  }

  @Test
  void invalidUtf8IsRejectedNotReplaced() {
    // C0 AF is an overlong '/', ED A0 80 a surrogate, FF never valid.
    for (String bad : List.of("C0AF", "EDA080", "FF", "E6 8A")) {
      String len = String.format("%04X", Hex.bytes(bad).length);
      var e =
          assertThrows(
              MalformedFrameException.class,
              () -> MessageCodec.decode(Hex.bytes("12 " + len + bad)),
              bad);
      assertTrue(e.getMessage().startsWith("invalid UTF-8"), e.getMessage());
    }
  }

  @Test
  void replacementCharacterSentAsSuchIsAName() throws Exception {
    roundTrip(new StatRequest("a\uFFFD"), "12 0004 61EFBFBD");
  }

  @Test
  void unpairedSurrogateIsNeverSent() throws Exception {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> MessageCodec.encode(new StatRequest("a\uD800b")));
    assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    roundTrip(new StatRequest("\uD83D\uDE00"), "12 0004 F09F9880");
  }

  @Test
  void badMagicIsMalformed() {
    var e =
        assertThrows(
            MalformedFrameException.class,
            () -> MessageCodec.decode(Hex.bytes("01 47455420 0001 00000000")));
    assertTrue(e.getMessage().contains("bad magic 0x47455420"), e.getMessage());
  }

  @Test
  void duplicateHelloExtensionIsMalformed() {
    assertThrows(
        MalformedFrameException.class,
        () -> MessageCodec.decode(Hex.bytes("01 4C4E4654 0001 00000000 01 0000 01 0000")));
  }

  @Test
  void unknownFlagBitsAreMalformed() {
    assertThrows(MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("10 0000 02")));
    assertThrows(
        MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("7F 0003 80 0000")));
  }

  @Test
  void negativeLengthOtherThanMinusOneIsMalformed() {
    assertThrows(
        MalformedFrameException.class,
        () -> MessageCodec.decode(Hex.bytes("14 0001 61 0000000000000000 FFFFFFFFFFFFFFFE")));
  }

  @Test
  void unsignedFieldWithTopBitIsMalformed() {
    var e =
        assertThrows(
            MalformedFrameException.class,
            () -> MessageCodec.decode(Hex.bytes("14 0001 61 8000000000000000 0000000000000000")));
    assertEquals(
        "offset 9223372036854775808 exceeds the maximum 9223372036854775807", e.getMessage());
  }

  @Test
  void getHeaderRangeOutsideFileIsMalformed() {
    assertThrows(
        MalformedFrameException.class,
        () ->
            MessageCodec.decode(
                Hex.bytes(
                    "15 000000000000000A 0000000000000004 0000000000000007 0000000000000000")));
  }

  @Test
  void listChunkCountBeyondFrameIsRejectedBeforeAllocating() {
    var e =
        assertThrows(
            MalformedFrameException.class, () -> MessageCodec.decode(Hex.bytes("11 01 FFFF")));
    assertEquals("LIST_CHUNK claims 65535 entries but only 0 bytes follow", e.getMessage());
  }

  @Test
  void unknownEntryKindIsMalformed() {
    assertThrows(
        MalformedFrameException.class,
        () -> MessageCodec.decode(Hex.bytes("13 03 0000000000000000 0000000000000000 0001 61")));
  }

  @Test
  void emptyPayloadIsMalformed() {
    assertThrows(MalformedFrameException.class, () -> MessageCodec.decode(new byte[0]));
  }

  @Test
  void encoderRefusesUnpairedSurrogate() {
    assertThrows(
        IllegalArgumentException.class, () -> MessageCodec.encode(new StatRequest("a\uD800")));
  }

  @Test
  void splitKeepsEveryChunkWithinTheFrameLimit() throws Exception {
    var entries = new java.util.ArrayList<Entry>();
    for (int i = 0; i < 5000; i++) {
      entries.add(new Entry(EntryKind.FILE, i, i, "dir/file-" + i + ".txt"));
    }
    List<ListChunk> chunks = ListChunk.split(entries, Wire.MAX_FRAME_SIZE);
    assertTrue(chunks.size() > 1);
    var back = new java.util.ArrayList<Entry>();
    for (int i = 0; i < chunks.size(); i++) {
      ListChunk c = chunks.get(i);
      assertEquals(i == chunks.size() - 1, c.last());
      byte[] frame = FrameWriter.frame(c, Wire.MAX_FRAME_SIZE);
      assertTrue(frame.length - 4 <= Wire.MAX_FRAME_SIZE);
      back.addAll(((ListChunk) MessageCodec.decode(frame, 4, frame.length - 4)).entries());
    }
    assertEquals(entries, back);
  }

  @Test
  void splitOfNothingIsOneEmptyLastChunk() {
    assertEquals(List.of(new ListChunk(List.of(), true)), ListChunk.split(List.of(), 100));
  }

  @Test
  void hashResultDigestIsDefensivelyCopied() {
    byte[] digest = new byte[32];
    var r = new HashResult(0, 0, digest);
    digest[0] = 1;
    r.sha256()[1] = 1;
    assertArrayEquals(new byte[32], r.sha256());
  }
}
