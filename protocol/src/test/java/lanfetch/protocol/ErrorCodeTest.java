package lanfetch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

final class ErrorCodeTest {
  @Test
  void codesAreUniqueAndLookUpBothWays() {
    var seen = new HashSet<Integer>();
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(seen.add(c.code()), c + " reuses " + c.code());
      assertEquals(c, ErrorCode.fromCode(c.code()).orElseThrow());
    }
    assertTrue(ErrorCode.fromCode(0).isEmpty());
  }

  @Test
  void wireValuesMatchTheSpec() {
    assertEquals(0x0003, ErrorCode.NOT_FOUND.code());
    assertEquals(0x0009, ErrorCode.BUSY.code());
    assertEquals(0x00FF, ErrorCode.INTERNAL.code());
    assertEquals(0x000A, ErrorCode.UNAUTHORIZED.code());
    assertEquals(0x000E, ErrorCode.TLS_REQUIRED.code());
    assertTrue(ErrorCode.UNAUTHORIZED.closesConnection());
    assertTrue(ErrorCode.TLS_REQUIRED.closesConnection());
    assertTrue(ErrorCode.BUSY.closesConnection());
    assertTrue(!ErrorCode.NOT_FOUND.closesConnection());
  }
}
