package lanfetch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HOST, HOST:PORT and bracketed IPv6 addresses. */
class ServerAddressTest {
  @Test
  void serverAddresses() {
    assertEquals(new ServerAddress("host", 7890), ServerAddress.parse("host"));
    assertEquals(new ServerAddress("host", 99), ServerAddress.parse("host:99"));
    assertEquals(new ServerAddress("::1", 7890), ServerAddress.parse("[::1]"));
    assertEquals(new ServerAddress("::1", 8000), ServerAddress.parse("[::1]:8000"));
    assertEquals(new ServerAddress("fe80::1", 7890), ServerAddress.parse("fe80::1"));
    assertEquals("[::1]:8000", ServerAddress.parse("[::1]:8000").toString());
    for (String bad : List.of("host:0", "host:70000", "host:x", "[::1", "[::1]x", ":80", "")) {
      assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(bad), bad);
    }
  }
}
