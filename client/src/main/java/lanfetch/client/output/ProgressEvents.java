package lanfetch.client.output;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.client.Done;
import lanfetch.client.Events;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import lanfetch.protocol.PeerText;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr: bytes, rate and ETA for one file; for a batch, one aggregate bar
 * with files done of total and the current name. Only created when stderr is a terminal, so
 * the progressbar and terminal classes are never loaded for scripted runs.
 */
public final class ProgressEvents implements Events {
  private final boolean single;
  private final String firstName;
  private final AtomicInteger finished = new AtomicInteger();
  private volatile int files;
  /** Where the bar is drawn; null for progressbar's own console consumer on stderr. */
  private final ProgressBarConsumer consumer;
  private ProgressBar bar;

  public ProgressEvents(boolean single, String firstName) {
    this(single, firstName, null);
  }

  /** A bar drawn by {@code consumer}: tests read the bar's numbers without a terminal. */
  ProgressEvents(boolean single, String firstName, ProgressBarConsumer consumer) {
    this.single = single;
    this.firstName = firstName;
    this.consumer = consumer;
  }

  @Override
  public synchronized void planned(int files, long knownBytes) {
    this.files = files;
    var builder = new ProgressBarBuilder();
    if (consumer != null) {
      builder.setConsumer(consumer);
    }
    bar = builder
        .setTaskName(single ? shorten(firstName) : "lanfetch")
        .setInitialMax(knownBytes)
        .setUnit("MiB", 1024 * 1024)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .build();
    bar.setExtraMessage(single ? "" : filesDone(0));
  }

  @Override
  public void started(Target t, long size, long offset) {
    if (t.knownSize() < 0 || single) {
      synchronized (this) {
        bar.maxHint(single ? size : bar.getMax() + size);
      }
    }
    bar.stepBy(offset);
    if (!single) {
      bar.setExtraMessage(filesDone(finished.get()) + " " + shorten(t.name()));
    }
  }

  @Override
  public void progress(long bytes) {
    bar.stepBy(bytes);
  }

  /** Takes back what {@link #started} and the attempt's progress added: the file starts again. */
  @Override
  public void retrying(Target t, long size, long position) {
    if (!single && t.knownSize() < 0) {
      synchronized (this) {
        bar.maxHint(bar.getMax() - size);
      }
    }
    bar.stepBy(-position);
  }

  @Override
  public void done(Target t, Done d) {
    fileEnded(t.name());
  }

  @Override
  public void skipped(Target t, String reason) {
    fileEnded(t.name());
  }

  @Override
  public void failed(String name, Path destination, FileFailure f) {
    fileEnded(name);
  }

  private void fileEnded(String name) {
    int n = finished.incrementAndGet();
    if (!single) {
      bar.setExtraMessage(filesDone(n) + " " + shorten(name));
    }
  }

  @Override
  public synchronized void finished(Summary s) {
    bar.close();
  }

  /** Bytes the bar shows as done. */
  long position() {
    return bar.getCurrent();
  }

  /** Bytes the bar shows as the whole. */
  long total() {
    return bar.getMax();
  }

  /** Clears the bar's line so a message can be printed on it. */
  public static void clearLine(java.io.PrintWriter err) {
    err.print("\r\033[K");
  }

  private String filesDone(int n) {
    return " " + n + "/" + files + " files";
  }

  private static String shorten(String raw) {
    String name = PeerText.escape(raw);
    return name.length() <= 40 ? name : "..." + name.substring(name.length() - 37);
  }
}
