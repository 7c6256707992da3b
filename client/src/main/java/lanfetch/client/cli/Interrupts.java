package lanfetch.client.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.client.RunException;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run. The JVM's default is to die at once, leaving a script
 * without its summary line; instead the run is asked to stop: connections close, partial files stay
 * for resume, nothing incomplete is renamed into place, and the command ends normally with exit
 * code 128 + the signal's number (130 for Ctrl-C). A second signal ends the process at once.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way the JDK offers to handle a
 * signal without also running the shutdown sequence; where a signal is unknown (Windows has no
 * TERM) the default stays.
 */
final class Interrupts {
  /** The line shown when a run stopped on a signal. */
  static final String MESSAGE = "interrupted; partial files kept for resume";

  private final AtomicInteger signal = new AtomicInteger();
  private volatile Runnable stop = () -> {};

  private Interrupts() {}

  /** Handles SIGINT and SIGTERM for this process from now on. */
  static Interrupts install() {
    var interrupts = new Interrupts();
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal.handle(new Signal(name), s -> interrupts.received(s.getNumber()));
      } catch (IllegalArgumentException unsupported) {
        // Not a signal here, or reserved by the JVM: the default behaviour stays.
      }
    }
    return interrupts;
  }

  /** For runs that never see a signal (tests, library use). */
  static Interrupts none() {
    return new Interrupts();
  }

  /** What stops the current phase of the run; runs at once if a signal came already. */
  void onStop(Runnable stop) {
    this.stop = stop;
    if (happened()) {
      stop.run();
    }
  }

  boolean happened() {
    return signal.get() != 0;
  }

  /** The exit code of a run stopped by the signal: 128 + its number. */
  int exitCode() {
    return 128 + signal.get();
  }

  /** The run-level error a stopped run ends with. */
  RunException interruption() {
    return new RunException(exitCode(), MESSAGE, false, null);
  }

  void received(int number) {
    if (!signal.compareAndSet(0, number)) {
      Runtime.getRuntime().halt(128 + number); // asked twice: the user wants out now
    }
    stop.run();
  }
}
