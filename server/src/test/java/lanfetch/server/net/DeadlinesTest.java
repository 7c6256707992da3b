package lanfetch.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the loop wakes: for the soonest deadline only, with nanoseconds rounded up to ms. */
class DeadlinesTest {
  @Test
  void theSoonestDeadlineIsTheOneWaitedFor() {
    var d = new Deadlines();
    assertEquals(0, d.millisToWait(0, 0), "nothing scheduled: block until woken");
    d.schedule(5_000_000);
    d.schedule(9_000_000);
    assertEquals(6, d.millisToWait(0, 0), "5 ms, rounded up");
    d.schedule(2_000_000);
    assertEquals(3, d.millisToWait(0, 0));
    assertEquals(2, d.millisToWait(0, 1_000_000), "the grace period ends sooner");
    assertEquals(1, d.millisToWait(10_000_000, 0), "overdue: wake at once, never block");
  }

  @Test
  void aDueScheduleIsClearedForTheOwnersToScheduleAgain() {
    var d = new Deadlines();
    d.schedule(100);
    assertFalse(d.due(99));
    assertTrue(d.due(100));
    assertFalse(d.due(200), "cleared: nothing is due until scheduled again");
    assertEquals(0, d.millisToWait(200, 0));
  }
}
