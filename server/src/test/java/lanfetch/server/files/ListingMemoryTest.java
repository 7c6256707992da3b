package lanfetch.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanfetch.server.TestClient;
import lanfetch.server.cli.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LIST of a huge directory must fit the heap: the server holds what it sorts compactly. Measured:
 * 60,000 children needed more than 24 MB of heap when each was kept as a Path with its attributes,
 * and fit in 10 MB kept as name, kind, size and time.
 */
class ListingMemoryTest {
  private static final int FILES = 60_000;

  @TempDir Path root;

  @Test
  void sixtyThousandFilesListInASixteenMegabyteHeap() throws Exception {
    for (int i = 0; i < FILES; i++) {
      Files.createFile(root.resolve(String.format("file-%06d-some-longer-name.log", i)));
    }
    try (var server = ServerProcess.start(List.of("-Xmx16m", "-XX:+UseSerialGC"), root, "-q");
        var c = TestClient.connect(server.address)) {
      c.handshake();
      var entries = c.list("", false);
      assertEquals(FILES, entries.size());
      assertEquals("file-000000-some-longer-name.log", entries.get(0).name());
      assertEquals(
          String.format("file-%06d-some-longer-name.log", FILES - 1),
          entries.get(FILES - 1).name());
    }
  }
}
