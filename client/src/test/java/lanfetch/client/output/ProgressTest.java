package lanfetch.client.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lanfetch.client.Done;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import org.junit.jupiter.api.Test;

/** The progress display: sound through a whole run, and its numbers honest. */
class ProgressTest {
  private static final long MIB = 1 << 20;
  private final StringWriter drawn = new StringWriter();
  private final Screen screen = new Screen(new PrintWriter(drawn));

  @Test
  void batchBarCountsFailedApartFromDoneThroughEventsFromSeveralThreads() throws Exception {
    var bar = new ProgressEvents(screen, "nas", 80).start();
    var a = new Target("logs/a.gz", Path.of("/out/[接收]a.gz"), 1000);
    var b = new Target("b.bin", Path.of("/out/[接收]b.bin"), -1);
    bar.planned(3, 1000);
    Thread other =
        new Thread(
            () -> {
              bar.started(b, 5000, 100);
              bar.progress(4900);
              bar.done(b, new Done(5000, 4900, 3, null));
            });
    other.start();
    bar.started(a, 1000, 0);
    bar.progress(1000);
    bar.done(a, new Done(1000, 1000, 1, null));
    other.join();
    bar.failed("c", null, new FileFailure(FailureCode.NOT_FOUND, "not found"));
    bar.finished(new Summary(3, 2, 0, 1, 5900, 10, 1));
    String last = drawn.toString().substring(drawn.toString().lastIndexOf('\r') + 1);
    assertTrue(
        last.contains("2/3 done, 1 failed") && last.contains("5.9 KiB / 5.9 KiB"),
        () -> last.replace("\033", "ESC"));
    assertTrue(
        drawn.toString().startsWith("\r\033[Kconnecting to nas ..."),
        () -> drawn.toString().replace("\033", "ESC"));
  }

  @Test
  void aResumedFileCountsOnlyThisRunsBytesForRateAndEta() {
    var bar = new ProgressEvents(screen, "nas", 80);
    var t = new Target("big.iso", Path.of("/out/big.iso"), -1);
    bar.planned(1, 0);
    bar.started(t, 100 * MIB, 68 * MIB);
    bar.progress(MIB);
    var s =
        bar.state(
            System.nanoTime() + TimeUnit.SECONDS.toNanos(10)); // 1 MiB in (a little over) 10 s
    assertEquals(69 * MIB, s.position());
    assertTrue(s.rate() <= MIB / 10, () -> "rate " + s.rate());
    assertTrue(s.etaSeconds() >= 31 * 10, () -> "eta " + s.etaSeconds());
  }

  @Test
  void aResumeIsAnnouncedOncePerFile() {
    var err = new StringWriter();
    var human = new HumanEvents(new PrintWriter(err), false, false);
    var t = new Target("big.iso", Path.of("/out/big.iso"), -1);
    human.planned(1, 0);
    human.started(t, 100 * MIB, 68 * MIB);
    human.retrying(t, 100 * MIB, 70 * MIB);
    human.started(t, 100 * MIB, 70 * MIB);
    assertEquals(
        "lanfetch: resuming \"big.iso\" at 68.0 MiB" + System.lineSeparator(), err.toString());
  }

  @Test
  void aMessageGoesAboveTheBarWhichIsDrawnAgainBelowIt() {
    var out = new StringWriter();
    screen.status("[##  ] 50%");
    screen.above(new PrintWriter(out)).println("lanfetch: \"a\": not found");
    assertEquals("\r\033[K[##  ] 50%\r\033[K[##  ] 50%", drawn.toString());
    assertEquals("lanfetch: \"a\": not found" + System.lineSeparator(), out.toString());
  }
}
