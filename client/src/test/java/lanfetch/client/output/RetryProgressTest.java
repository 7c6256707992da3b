package lanfetch.client.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lanfetch.client.Events;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.Target;
import lanfetch.client.landing.Landing;
import lanfetch.client.plan.Plan;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.client.testing.RecordingEvents;
import lanfetch.client.transfer.BatchDownload;
import lanfetch.testing.FaultProxy;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file cut mid-body and fetched again within the same run: the bar ends at the file's size, not
 * at the size plus the bytes of the attempt that was cut.
 */
class RetryProgressTest extends FakeServerTest {
  /** WELCOME frame from the fake: 4 + 1 + 2 + 4 + 2 + "fake/1". */
  private static final int WELCOME = 4 + 1 + 2 + 4 + 2 + 6;

  /** GET_HEADER frame: 4 + 1 + 4 * 8. */
  private static final int HEADER = 4 + 1 + 32;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} bytes cut after {1}, single bar {2}")
  @CsvSource({
    "1000, 400, true", // small: starts over from zero
    "1000, 400, false", // a batch bar, size not known from a listing
    "1048576, 349525, true", // resumable: the retry resumes from the partial file
  })
  void aFileRetriedAfterACutEndsTheBarAtItsSize(int size, int cutAfter, boolean single)
      throws Exception {
    server.put("f.bin", TestFiles.random(size, 3));
    var bar =
        new ProgressEvents(
            new Screen(new java.io.PrintWriter(java.io.Writer.nullWriter())), "localhost", 80);
    var recorded = new RecordingEvents();
    try (var proxy = FaultProxy.cut(server.port(), WELCOME + HEADER + cutAfter)) {
      var settings =
          new Settings(
              ServerAddress.parse(proxy.address()),
              Duration.ofSeconds(10),
              1,
              Duration.ofMillis(1),
              1,
              false,
              true,
              ExistingPolicy.FAIL);
      Events events = Events.all(bar, recorded);
      bar.planned(
          single ? 1 : 2, 0); // a batch bar: one of two files, its size not known from a listing
      recorded.planned(1, 0);
      var target = new Target("f.bin", dir.resolve("f.bin"), -1);
      var summary =
          new BatchDownload(settings, new Landing(dir, ExistingPolicy.FAIL, true), events)
              .run(new Plan(List.of(target), List.of(), 0, 0));

      assertEquals(0, summary.exitCode(), recorded.log::toString);
      assertEquals(size, Files.size(dir.resolve("f.bin")));
      assertTrue(
          recorded.log.stream().filter(e -> e.startsWith("started")).count() >= 2,
          () -> "the cut made the run fetch the file twice: " + recorded.log);
      assertEquals(size, bar.total(), () -> "bar total; events: " + recorded.log);
      assertEquals(size, bar.position(), () -> "bar position; events: " + recorded.log);
      assertEquals(List.of(), recorded.violations, recorded.log::toString);
    }
  }
}
