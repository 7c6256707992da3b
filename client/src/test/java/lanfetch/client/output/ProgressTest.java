package lanfetch.client.output;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.nio.file.Path;
import lanfetch.client.Done;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Summary;
import lanfetch.client.Target;
import org.junit.jupiter.api.Test;

/** The progress display: sound through a whole run when it is on. */
class ProgressTest {
  @Test
  void batchBarSurvivesEveryEventFromSeveralThreads() throws Exception {
    var bar = new ProgressEvents(false, "");
    var a = new Target("logs/a.gz", Path.of("/out/[接收]a.gz"), 1000);
    var b = new Target("b.bin", Path.of("/out/[接收]b.bin"), -1);
    bar.planned(3, 1000);
    Thread other = new Thread(() -> {
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
    assertDoesNotThrow(() -> bar.finished(new Summary(3, 2, 0, 1, 5900, 10, 1)));
  }

  @Test
  void singleFileBarTakesItsSizeFromTheHeader() {
    var bar = new ProgressEvents(true, "big.iso");
    var t = new Target("big.iso", Path.of("-"), -1);
    bar.planned(1, 0);
    bar.started(t, 1 << 20, 0);
    bar.progress(1 << 20);
    bar.done(t, new Done(1 << 20, 1 << 20, 5, null));
    assertDoesNotThrow(() -> bar.finished(new Summary(1, 1, 0, 0, 1 << 20, 5, 0)));
  }
}
