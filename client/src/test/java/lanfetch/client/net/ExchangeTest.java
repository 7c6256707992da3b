package lanfetch.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import lanfetch.client.FailureCode;
import lanfetch.client.ServerAddress;
import lanfetch.client.net.Exchange.Outcome;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * The answers to one file's HASH and GET, fed as the bytes a server would send: every outcome, and
 * every answer that breaks the protocol.
 */
class ExchangeTest {
  /** GET_HEADER: size 1000, offset 0, length 1000, mtime 0x1234. */
  private static final String HEADER_0 =
      "00000021 15" + " 00000000000003E8 0000000000000000 00000000000003E8 0000000000001234";

  /** GET_HEADER: size 1000, offset 400, length 600, mtime 0x1234. */
  private static final String HEADER_400 =
      "00000021 15" + " 00000000000003E8 0000000000000190 0000000000000258 0000000000001234";

  /** HASH_RESULT: size 1000, mtime 0x1234, a digest of 32 bytes 0xAB. */
  private static final String HASH =
      "00000031 17 00000000000003E8 0000000000001234 " + "AB".repeat(32);

  /** HASH_RESULT for another version: size 999. */
  private static final String HASH_OTHER =
      "00000031 17 00000000000003E7 0000000000001234 " + "AB".repeat(32);

  /** ERROR NOT_FOUND (0x0003), not closing, "gone". */
  private static final String NOT_FOUND = "0000000A 7F 0003 00 0004 676F6E65";

  /** ERROR INVALID_RANGE (0x0008), not closing, "gone". */
  private static final String INVALID_RANGE = "0000000A 7F 0008 00 0004 676F6E65";

  /** ERROR BUSY (0x0009), closing, "gone". */
  private static final String BUSY_CLOSING = "0000000A 7F 0009 01 0004 676F6E65";

  /** ERROR with a code this client does not know (0x0123). */
  private static final String UNKNOWN = "0000000A 7F 0123 00 0004 676F6E65";

  /** WELCOME: not an answer to a GET. */
  private static final String WELCOME = "0000000F 02 0001 00000000 0006 66616B652F31";

  private static Exchange exchange(String... frames) {
    var bytes = new ByteArrayOutputStream();
    for (String f : frames) {
      bytes.writeBytes(HexFormat.of().parseHex(f.replace(" ", "")));
    }
    var reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
    return new Exchange(
        () -> {
          Message m = reader.read();
          if (m == null) {
            throw new EOFException("end of stream");
          }
          return m;
        });
  }

  @Test
  void aHeaderForTheRangeAskedMeansTheBodyFollows() throws IOException {
    var e = exchange(HEADER_0);
    assertEquals(Outcome.BODY, e.read("a.bin", false, 0, -1, 0));
    assertEquals(1000, e.header().length());
    assertEquals(0x1234, e.header().modifiedMillis());
    assertNull(e.hash());
    assertNull(e.failure());
  }

  @Test
  void withVerifyTheHashComesFirstAndMustDescribeTheSameVersion() throws IOException {
    var e = exchange(HASH, HEADER_0);
    assertEquals(Outcome.BODY, e.read("a.bin", true, 0, -1, 0));
    assertEquals("ab".repeat(32), e.hash().hex());

    var changed = exchange(HASH_OTHER, HEADER_0);
    assertEquals(Outcome.CHANGED, changed.read("a.bin", true, 0, -1, 0));
    assertEquals(FailureCode.CHANGED, changed.failure().code());
    assertTrue(changed.failure().code().mayPassOnRetry());
    assertEquals(1000, changed.header().length(), "the body follows and must be read or dropped");
  }

  @Test
  void anErrorForTheGetIsTheFilesFailureWithTheServersCode() throws IOException {
    var e = exchange(NOT_FOUND);
    assertEquals(Outcome.REFUSED, e.read("a.bin", false, 0, -1, 0));
    assertEquals("NOT_FOUND", e.failure().codeName());
    assertEquals("not found on the server", e.failure().getMessage());
    assertNull(e.header());

    var unknown = exchange(UNKNOWN);
    assertEquals(Outcome.REFUSED, unknown.read("a.bin", false, 0, -1, 0));
    assertEquals(FailureCode.UNKNOWN_SERVER_CODE, unknown.failure().code());
    assertEquals("0x0123", unknown.failure().codeName());
  }

  @Test
  void anErrorForTheHashLeavesTheGetsBodyToBeDropped() throws IOException {
    var e = exchange(NOT_FOUND, HEADER_0);
    assertEquals(Outcome.HASH_REFUSED, e.read("a.bin", true, 0, -1, 0));
    assertEquals("NOT_FOUND", e.failure().codeName());
    assertEquals(1000, e.header().length());
  }

  @Test
  void invalidRangeForAResumeMeansTheFileShrankButNotForAFreshStart() throws IOException {
    assertEquals(Outcome.SHRANK, exchange(INVALID_RANGE).read("a.bin", false, 400, 1000, 0x1234));
    var fresh = exchange(INVALID_RANGE);
    assertEquals(Outcome.REFUSED, fresh.read("a.bin", false, 0, -1, 0));
    assertEquals("INVALID_RANGE", fresh.failure().codeName());
  }

  @Test
  void aResumeOntoAnotherVersionIsStale() throws IOException {
    assertEquals(Outcome.BODY, exchange(HEADER_400).read("a.bin", false, 400, 1000, 0x1234));
    assertEquals(
        Outcome.STALE_PARTIAL, exchange(HEADER_400).read("a.bin", false, 400, 1000, 0x9999));
    assertEquals(
        Outcome.STALE_PARTIAL, exchange(HEADER_400).read("a.bin", false, 400, 2000, 0x1234));
  }

  @Test
  void aClosingErrorEndsTheSession() {
    var ended =
        assertThrows(
            SessionEndedException.class,
            () -> exchange(BUSY_CLOSING).read("a.bin", false, 0, -1, 0));
    assertEquals("server says BUSY: gone", ended.getMessage());
    assertThrows(
        SessionEndedException.class, () -> exchange(BUSY_CLOSING).read("a.bin", true, 0, -1, 0));
  }

  @Test
  void answersThatBreakTheProtocolAreRefusedWithWhatWasWrong() {
    var wrongRange =
        assertThrows(
            ProtocolException.class,
            () -> exchange(HEADER_0).read("a.bin", false, 400, 1000, 0x1234));
    assertEquals("answered GET a.bin from 400 with bytes 0+1000 of 1000", wrongRange.getMessage());
    var wrongType =
        assertThrows(
            ProtocolException.class, () -> exchange(WELCOME).read("a.bin", false, 0, -1, 0));
    assertEquals("answered GET with message type 0x02", wrongType.getMessage());
    var hashAnsweredWithHeader =
        assertThrows(
            ProtocolException.class, () -> exchange(HEADER_0).read("a.bin", true, 0, -1, 0));
    assertEquals("answered HASH with message type 0x15", hashAnsweredWithHeader.getMessage());
    assertThrows(EOFException.class, () -> exchange(HASH).read("a.bin", true, 0, -1, 0));
  }

  @Test
  void connectionFailuresAreClassifiedForTheFile() {
    var server = new ServerAddress("host", 7890);
    var timeout = Duration.ofSeconds(30);
    var shortBody = Exchange.failureDuring(new ShortBodyException(400, 1000), server, timeout);
    assertEquals(FailureCode.SHORT_BODY, shortBody.code());
    assertEquals(
        "the connection to host:7890 ended after 400 of 1000 announced bytes; partial file kept",
        shortBody.getMessage());
    var silent =
        Exchange.failureDuring(new SocketTimeoutException("read timed out"), server, timeout);
    assertEquals(FailureCode.CONNECTION, silent.code());
    assertEquals("no data from host:7890 for 30 s", silent.getMessage());
    var tooLong =
        Exchange.failureAfterBody(1000, new ProtocolException("bad frame"), server, timeout);
    assertEquals(FailureCode.BAD_BODY, tooLong.code());
    assertTrue(
        tooLong.getMessage().startsWith("the data after its 1000-byte body is not a valid frame"));
    var broken = Exchange.failureDuring(new ProtocolException("bad frame"), server, timeout);
    assertEquals(FailureCode.PROTOCOL, broken.code());
  }
}
