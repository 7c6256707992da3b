package lanfetch.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The growing delay before UNAUTHORIZED, on a hand-driven clock. */
class FailureDelayTest {
  final AtomicLong now = new AtomicLong(1_000);
  final FailureDelay delay = new FailureDelay(now::get);
  final InetAddress a = InetAddress.getLoopbackAddress();

  static InetAddress address(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  @Test
  void eachFailureDoublesTheDelayUpToTheCap() {
    var seen = new ArrayList<Long>();
    for (int i = 0; i < 10; i++) {
      seen.add(delay.failed(a).toMillis());
    }
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L), seen);
  }

  @Test
  void aRightTokenStartsTheAddressOver() {
    delay.failed(a);
    delay.failed(a);
    delay.succeeded(a);
    assertEquals(Duration.ofMillis(100), delay.failed(a));
  }

  @Test
  void failuresAreForgottenAfterAQuietSpell() {
    delay.failed(a);
    delay.failed(a);
    now.addAndGet(FailureDelay.FORGET.toNanos() + 1);
    assertEquals(0, delay.failures(a));
    assertEquals(Duration.ofMillis(100), delay.failed(a));
  }

  @Test
  void addressesAreCountedApart() throws Exception {
    delay.failed(address(1));
    delay.failed(address(1));
    assertEquals(Duration.ofMillis(100), delay.failed(address(2)));
    assertEquals(Duration.ofMillis(400), delay.failed(address(1)));
  }

  @Test
  void theTableStaysBounded() throws Exception {
    for (int i = 0; i < FailureDelay.MAX_ADDRESSES + 5; i++) {
      delay.failed(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    assertEquals(
        0, delay.failures(InetAddress.getByAddress(new byte[] {10, 0, 0, 0})), "eldest dropped");
    assertEquals(1, delay.failures(InetAddress.getByAddress(new byte[] {10, 0, 0x27, 0x14})));
  }
}
