package lanfetch.client.output;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.protocol.PeerText;

/**
 * The progress bar: the status line of a {@link Screen}. For one file, its name, bytes, rate and
 * ETA; for a batch, files done of total with failed and skipped counted apart, bytes, rate, ETA and
 * the file last heard of. "connecting to HOST" until the first file starts.
 *
 * <p>The rate counts only bytes received by this run: a resumed file's bytes already on disk move
 * the bar forward but not the rate, so the ETA is what is left at the speed of the link.
 *
 * <p>Events only update counters; a daemon thread draws the line five times a second, so the
 * threads that move data never wait on the terminal. Only created when stderr is a terminal.
 */
public final class ProgressEvents implements Events {
  private static final long REDRAW_MILLIS = 200;

  private final Screen screen;
  private final String host;
  private final int width;

  // Written by the events, read by the drawing thread.
  private volatile int files = -1;
  private volatile boolean single = true;
  private volatile String name;
  private final AtomicLong position = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  /** Body bytes this run received, never taken back: what the rate is made of. */
  private final AtomicLong received = new AtomicLong();

  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();

  /** When the first attempt started, in System.nanoTime; 0 while connecting. */
  private volatile long firstStart;

  // Guarded by this.
  private boolean closed;
  private Thread drawer;

  /**
   * @param host shown while connecting
   * @param width the terminal's width in columns
   */
  public ProgressEvents(Screen screen, String host, int width) {
    this.screen = screen;
    this.host = host;
    this.width = width;
  }

  /** Draws the first line and keeps the line up to date until {@link #finished}. */
  public synchronized ProgressEvents start() {
    draw();
    drawer = new Thread(this::drawUntilClosed, "lanfetch-progress");
    drawer.setDaemon(true);
    drawer.start();
    return this;
  }

  private void drawUntilClosed() {
    synchronized (this) {
      while (!closed) {
        draw();
        try {
          TimeUnit.MILLISECONDS.timedWait(this, REDRAW_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void planned(int files, long knownBytes) {
    single = files == 1;
    total.addAndGet(knownBytes);
    this.files = files;
  }

  @Override
  public void started(Target t, long size, long offset) {
    if (firstStart == 0) {
      firstStart = System.nanoTime();
    }
    if (single) {
      total.set(size);
    } else if (t.knownSize() < 0) {
      total.addAndGet(size);
    }
    position.addAndGet(offset);
    name = t.name();
  }

  @Override
  public void progress(long bytes) {
    position.addAndGet(bytes);
    received.addAndGet(bytes);
  }

  /** Takes back what {@link #started} and the attempt's progress added: the file starts again. */
  @Override
  public void retrying(Target t, long size, long position) {
    if (!single && t.knownSize() < 0) {
      total.addAndGet(-size);
    }
    this.position.addAndGet(-position);
  }

  @Override
  public void done(Target t, Done d) {
    done.incrementAndGet();
  }

  /** Not part of the transfer: the bar counts the files that are fetched. */
  @Override
  public void unchanged(Target t) {}

  @Override
  public void skipped(Target t, String reason) {
    skipped.incrementAndGet();
    name = t.name();
  }

  @Override
  public void failed(String name, Path destination, FileFailure f) {
    failed.incrementAndGet();
    this.name = name;
  }

  /** Draws the final numbers and leaves them on the screen; messages after it go below. */
  @Override
  public synchronized void finished(Summary s) {
    if (closed) {
      return;
    }
    closed = true;
    notifyAll();
    if (files > 0) {
      draw();
      screen.keepStatus();
    } else {
      screen.clearStatus();
    }
  }

  /** Ends the bar when the run stopped without {@link #finished}: erases it. */
  public synchronized void abandon() {
    if (!closed) {
      closed = true;
      notifyAll();
      screen.clearStatus();
    }
  }

  private void draw() {
    boolean connecting = firstStart == 0 && done.get() + failed.get() + skipped.get() == 0;
    screen.status(
        connecting
            ? BarText.connecting(host, width)
            : BarText.line(state(System.nanoTime()), width));
  }

  /** What the bar shows {@code now}: this run's rate and the ETA at that rate. */
  BarText.State state(long now) {
    long pos = position.get();
    long all = Math.max(total.get(), pos);
    long elapsedMillis = firstStart == 0 ? 0 : (now - firstStart) / 1_000_000;
    long rate =
        elapsedMillis < 500 || received.get() == 0 ? -1 : received.get() * 1000 / elapsedMillis;
    long eta = rate <= 0 || closed ? -1 : (all - pos + rate - 1) / rate;
    String shown = name == null ? null : PeerText.escape(name);
    return new BarText.State(
        shown,
        single,
        Math.max(files, 0),
        done.get(),
        failed.get(),
        skipped.get(),
        pos,
        all,
        rate,
        eta);
  }

  /** Bytes the bar shows as done. */
  long position() {
    return position.get();
  }

  /** Bytes the bar shows as the whole. */
  long total() {
    return total.get();
  }
}
