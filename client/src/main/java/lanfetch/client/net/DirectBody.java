package lanfetch.client.net;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Reads body bytes from a plain TCP socket's channel into one direct buffer written straight to the
 * part file: two copies of each byte (kernel to buffer, buffer to page cache) where the socket's
 * stream and a heap array make four.
 *
 * <p>A blocking channel read ignores {@code SO_TIMEOUT}, which enforces {@code --timeout} on the
 * stream path, so a watchdog closes the socket when one read waits longer than that; the reader
 * then reports the timeout. Time spent writing the file does not count as silence.
 */
final class DirectBody {
  private static final int BUFFER = 256 * 1024;

  private final SocketChannel socket;
  private final IntSupplier buffered;
  private ByteBuffer buffer; // allocated on the first large body: small-file runs never need it
  private volatile long
      readingSince; // System.nanoTime() when the read in progress began; 0 if none
  private volatile boolean timedOut;

  /**
   * @param socket the connection's channel, in blocking mode
   * @param buffered how many bytes the frame stream over it holds read but not yet consumed
   */
  DirectBody(SocketChannel socket, IntSupplier buffered) {
    this.socket = socket;
    this.buffered = buffered;
  }

  /**
   * Body bytes already taken off the socket by the frame stream: they must be read from it first.
   */
  int buffered() {
    return buffered.getAsInt();
  }

  /**
   * Copies the last {@code left} bytes of a {@code length}-byte body to the file at its position.
   *
   * @throws ShortBodyException if the connection ends first
   * @throws SinkException if the file fails; the connection is still in step with what was read
   * @throws SocketTimeoutException if no byte arrives for the socket's read timeout
   */
  void copy(long left, long length, FileChannel file, MessageDigest digest, LongConsumer progress)
      throws IOException {
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(BUFFER);
    }
    int timeoutMillis = socket.socket().getSoTimeout();
    ScheduledFuture<?> watchdog = timeoutMillis == 0 ? null : Watchdog.watch(this, timeoutMillis);
    try {
      copyAll(left, length, file, digest, progress);
    } catch (ClosedChannelException e) {
      if (timedOut) {
        var timeout = new SocketTimeoutException("no data for " + timeoutMillis + " ms");
        timeout.initCause(e);
        throw timeout;
      }
      throw e;
    } finally {
      readingSince = 0;
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
  }

  private void copyAll(
      long left, long length, FileChannel file, MessageDigest digest, LongConsumer progress)
      throws IOException {
    while (left > 0) {
      buffer.clear().limit((int) Math.min(BUFFER, left));
      readingSince = System.nanoTime() | 1; // never 0, which means "not reading"
      int n = socket.read(buffer);
      readingSince = 0;
      if (n < 0) {
        throw new ShortBodyException(length - left, length);
      }
      left -= n;
      buffer.flip();
      if (digest != null) {
        digest.update(buffer);
        buffer.rewind();
      }
      try {
        while (buffer.hasRemaining()) {
          file.write(buffer);
        }
      } catch (IOException e) {
        throw new SinkException(e, left);
      }
      progress.accept(n);
    }
  }

  /** Called by the watchdog: closes the socket if the read in progress waited too long. */
  private void check(long timeoutNanos) {
    long since = readingSince;
    if (since != 0 && System.nanoTime() - since > timeoutNanos) {
      timedOut = true;
      closeQuietly(socket); // the read ends either way; the timeout is what gets reported
    }
  }

  /** One daemon thread checks every body in progress; it exists only once a large body came. */
  private static final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    static ScheduledFuture<?> watch(DirectBody body, int timeoutMillis) {
      long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      long period = Math.max(10, timeoutMillis / 8); // fires at most an eighth of the timeout late
      return TIMER.scheduleAtFixedRate(
          () -> body.check(timeoutNanos), period, period, TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
      var timer =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                var t = new Thread(r, "lanfetch-read-timeout");
                t.setDaemon(true);
                return t;
              });
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }
}
