package lanfetch.server.cli;

import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.server.FileServer;

/**
 * SIGINT (Ctrl-C) and SIGTERM: the first stops gracefully, a second stops at once.
 *
 * <p>This uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK since 9 and in
 * the shaded jar's runtime) because a shutdown hook cannot do it: hooks run once, on a JVM that is
 * already exiting, and a second Ctrl-C during the hooks is ignored, so an operator could not cut a
 * long grace period short. Where the class is missing, a shutdown hook gives the graceful stop
 * alone.
 */
final class StopSignals {
  private final FileServer server;
  private final AtomicInteger received = new AtomicInteger();
  private volatile boolean forced;

  /** Handlers not yet installed; {@link #onSignal()} acts as a signal would. */
  StopSignals(FileServer server) {
    this.server = server;
  }

  /** Installs the handlers for {@code server}; they stay for the life of the JVM. */
  static StopSignals install(FileServer server) {
    var signals = new StopSignals(server);
    try {
      for (String name : new String[] {"INT", "TERM"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signals.onSignal());
      }
    } catch (IllegalArgumentException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lanfetch-stop"));
    }
    return signals;
  }

  /** Whether a second signal cut the grace period short. */
  boolean forced() {
    return forced;
  }

  void onSignal() {
    if (received.incrementAndGet() == 1) {
      var t = new Thread(server::close, "lanfetch-stop");
      t.setDaemon(true);
      t.start();
    } else {
      forced = true;
      var t = new Thread(server::stopNow, "lanfetch-stop-now");
      t.setDaemon(true);
      t.start();
    }
  }
}
