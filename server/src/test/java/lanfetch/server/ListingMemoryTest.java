package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LIST of a huge directory must fit the heap: the server holds what it sorts compactly.
 * Measured: 60,000 children needed more than 24 MB of heap when each was kept as a Path with
 * its attributes, and fit in 10 MB kept as name, kind, size and time.
 */
class ListingMemoryTest {
  private static final int FILES = 60_000;

  @TempDir Path root;

  @Test
  void sixtyThousandFilesListInASixteenMegabyteHeap() throws Exception {
    for (int i = 0; i < FILES; i++) {
      Files.createFile(root.resolve(String.format("file-%06d-some-longer-name.log", i)));
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-Xmx16m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
        root.toString(), "--port", "0", "--bind", "127.0.0.1", "-q")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      Matcher m = StartupLine.PATTERN.matcher(String.valueOf(lines.readLine()));
      assertTrue(m.matches(), m.toString());
      try (var c = TestClient.connect(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))))) {
        c.handshake();
        var entries = c.list("", false);
        assertEquals(FILES, entries.size());
        assertEquals("file-000000-some-longer-name.log", entries.get(0).name());
        assertEquals(String.format("file-%06d-some-longer-name.log", FILES - 1),
            entries.get(FILES - 1).name());
      }
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }
}
