package lanfetch.server.security;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How long to wait before telling a client its token is wrong. Each failure from an address doubles
 * its delay, from {@link #FIRST} up to {@link #CAP}; a right token from the address, or {@link
 * #FORGET} without failures, wipes the slate. Guessing a token at a few tries a minute per address
 * is hopeless, while a user who mistyped waits a tenth of a second.
 *
 * <p>Used by the event loop thread only. The table is bounded: when full, the address idle the
 * longest is dropped, so a spray of source addresses costs memory, not the whole heap.
 */
public final class FailureDelay {
  static final Duration FIRST = Duration.ofMillis(100);
  static final Duration CAP = Duration.ofSeconds(10);
  static final Duration FORGET = Duration.ofMinutes(10);
  static final int MAX_ADDRESSES = 10_000;

  private record Failures(int count, long last) {}

  private final LongSupplier nanoClock;

  /** Access order: the eldest entry is the one to drop. */
  private final Map<InetAddress, Failures> table = new LinkedHashMap<>(64, 0.75f, true);

  public FailureDelay(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Records a failure from {@code address}; returns how long to hold back its answer. */
  public Duration failed(InetAddress address) {
    long now = nanoClock.getAsLong();
    Failures before = table.get(address);
    int count = before == null || now - before.last() > FORGET.toNanos() ? 1 : before.count() + 1;
    table.put(address, new Failures(count, now));
    trim();
    return delayFor(count);
  }

  /** A right token: the address starts over. */
  public void succeeded(InetAddress address) {
    table.remove(address);
  }

  /** Failures remembered for {@code address}, 0 if none or forgotten. */
  public int failures(InetAddress address) {
    Failures f = table.get(address);
    return f == null || nanoClock.getAsLong() - f.last() > FORGET.toNanos() ? 0 : f.count();
  }

  static Duration delayFor(int failures) {
    long millis = FIRST.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(millis, CAP.toMillis()));
  }

  private void trim() {
    Iterator<InetAddress> eldest = table.keySet().iterator();
    while (table.size() > MAX_ADDRESSES) {
      eldest.next();
      eldest.remove();
    }
  }
}
