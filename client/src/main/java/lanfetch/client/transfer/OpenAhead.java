package lanfetch.client.transfer;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.net.ServerConnection;

/**
 * Transfer connections opened while the listing is still being read and planned, so that the first
 * GET goes out as soon as the plan is made instead of after a connect and handshake of its own.
 *
 * <p>Opening ahead is only a head start: a connection that cannot be opened here is forgotten, and
 * the download opens its own as it would have, retrying and reporting as usual. Opening starts only
 * once the listing's connection is up, so a server's TLS key is checked (and, the first time,
 * recorded) by one handshake, and a server that cannot be reached is reported once. A connection
 * left idle longer than {@link #FRESH_NANOS} is not used (the server may have closed it); whatever
 * is not taken is closed by {@link #close}.
 */
public final class OpenAhead implements AutoCloseable {
  /** Older connections are closed rather than used: far below any server's idle timeout. */
  static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Ready(ServerConnection connection, long since) {}

  private final Settings settings;
  private final int count;
  private final BlockingQueue<Ready> ready = new LinkedBlockingQueue<>();
  private final AtomicInteger opening = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param count how many connections to open ahead: the run's {@code -j}
   */
  public OpenAhead(Settings settings, int count) {
    this.settings = settings;
    this.count = count;
  }

  /** Starts opening, in the background; only the first call does anything. */
  public void start() {
    if (closed || !started.compareAndSet(false, true)) {
      return;
    }
    opening.set(count);
    for (int i = 0; i < count; i++) {
      var opener = new Thread(this::openOne, "lanfetch-open-ahead-" + i);
      opener.setDaemon(true);
      opener.start();
    }
  }

  private void openOne() {
    try {
      give(ServerConnection.open(settings.server(), settings.timeout(), settings.access()));
    } catch (RunException e) {
      // The download opens its own connection, and reports why it cannot if it still cannot.
    } finally {
      opening.decrementAndGet();
    }
  }

  private void give(ServerConnection connection) {
    ready.add(new Ready(connection, System.nanoTime()));
    if (closed) {
      drain();
    }
  }

  /**
   * A connection ready for requests, waiting for one still being opened; null if there is none to
   * wait for.
   */
  ServerConnection take() throws InterruptedException {
    while (!closed) {
      Ready r = ready.poll();
      if (r == null) {
        if (opening.get() == 0) {
          r = ready.poll(); // given between the two looks
          if (r == null) {
            return null;
          }
        } else {
          r = ready.poll(20, TimeUnit.MILLISECONDS);
          if (r == null) {
            continue;
          }
        }
      }
      if (System.nanoTime() - r.since() < FRESH_NANOS) {
        return r.connection();
      }
      r.connection().close();
    }
    return null;
  }

  /** Closes every connection not taken, now and as the ones still being opened arrive. */
  @Override
  public void close() {
    closed = true;
    drain();
  }

  private void drain() {
    for (Ready r; (r = ready.poll()) != null; ) {
      r.connection().close();
    }
  }
}
