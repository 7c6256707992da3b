package lanfetch.server.net;

/**
 * When the event loop must next look at its deadlines. Deadlines are {@link System#nanoTime()}
 * values kept by whoever owns them (each connection its own); this remembers only the soonest one
 * scheduled, so a loop with a thousand idle connections wakes once per deadline, not once per
 * connection, and then checks them all. Event-loop thread only.
 */
final class Deadlines {
  /** The soonest deadline scheduled; 0 for none. */
  private long next;

  /** Makes the loop wake by {@code deadline}; returns it. */
  long schedule(long deadline) {
    if (next == 0 || deadline - next < 0) {
      next = deadline;
    }
    return deadline;
  }

  /**
   * Milliseconds the loop may block at {@code now}: until the next deadline, or {@code alsoBy} if
   * that is sooner (0 for none); 0 means block until woken.
   */
  long millisToWait(long now, long alsoBy) {
    long soonest = next;
    if (alsoBy != 0 && (soonest == 0 || alsoBy - soonest < 0)) {
      soonest = alsoBy;
    }
    return soonest == 0 ? 0 : Math.max(1, (soonest - now) / 1_000_000 + 1);
  }

  /**
   * Whether a scheduled deadline has come at {@code now}. If so, the schedule is cleared: the
   * caller checks every deadline it owns and schedules again those still ahead.
   */
  boolean due(long now) {
    if (next == 0 || now - next < 0) {
      return false;
    }
    next = 0;
    return true;
  }
}
