package lanfetch.server.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.server.TestClient;
import lanfetch.server.cli.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent recursive listings of a huge tree must fit the launcher's 64 MiB heap: each listing
 * holds a bounded batch of children, and past the global budget a LIST is answered BUSY. The server
 * runs in a JVM of its own with the launcher's heap, so an OutOfMemoryError would show as wrong
 * answers, a dead server or one that no longer serves a GET.
 */
class HugeListingsTest {
  private static final int DIRECTORIES = 4;
  private static final int FILES_PER_DIRECTORY = 50_000;
  private static final int LISTINGS = 20;
  private static final long BOUND_SECONDS = 300;

  /** Where the tree goes: tmpfs when there is one, since 200,000 files on a disk take minutes. */
  @TempDir Path fallback;

  private Path root;

  @BeforeEach
  void makeRoot() throws IOException {
    Path shm = Path.of("/dev/shm");
    root =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "lanfetch-huge-listings")
            : fallback;
  }

  @AfterEach
  void removeRoot() throws IOException {
    if (root != fallback) {
      try (var paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void twentyRecursiveListingsOfTwoHundredThousandEntriesInSixtyFourMegabytes() throws Exception {
    for (int d = 0; d < DIRECTORIES; d++) {
      Path dir = Files.createDirectory(root.resolve("dir-" + d));
      for (int i = 0; i < FILES_PER_DIRECTORY; i++) {
        Files.createFile(
            dir.resolve(String.format(Locale.ROOT, "file-%06d-some-longer-name.log", i)));
      }
    }
    byte[] small = "still serving".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(root.resolve("small.txt"), small);
    int expected = DIRECTORIES * (FILES_PER_DIRECTORY + 1) + 1;

    try (var server =
        ServerProcess.start(
            List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:MaxDirectMemorySize=32m", "-Xss512k"),
            root,
            "-q",
            "--threads",
            "16")) {
      var listings = new ArrayList<CompletableFuture<Object>>();
      for (int i = 0; i < LISTINGS; i++) {
        listings.add(CompletableFuture.supplyAsync(() -> listAll(server)));
      }
      try (var c = TestClient.connect(server.address)) {
        c.handshake();
        assertArrayEquals(small, c.get("small.txt"), "a GET is served meanwhile");
      }
      int answered = 0;
      for (var listing : listings) {
        Object result = listing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        if (result instanceof Integer n) {
          assertEquals(expected, n, "every entry of the tree, once");
          answered++;
        } else {
          assertEquals(ErrorCode.BUSY.name(), result, "the only refusal a LIST may get");
        }
      }
      assertTrue(answered > 0, "some listings were answered");
      assertTrue(server.process.isAlive(), "the server is still up");
      try (var c = TestClient.connect(server.address)) {
        c.handshake();
        assertArrayEquals(small, c.get("small.txt"), "and still serves");
        assertEquals(expected, c.list("", true).size(), "and lists it all when not busy");
      }
    }
  }

  /** The number of entries of a recursive LIST of the root, or the error code's name. */
  private static Object listAll(ServerProcess server) {
    try (var c = TestClient.connect(server.address)) {
      c.socket().setSoTimeout((int) TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
      c.handshake();
      c.send(new ListRequest("", true));
      int n = 0;
      while (true) {
        Message m = c.read();
        if (m instanceof ErrorMessage e) {
          return e.codeName();
        }
        var chunk = (ListChunk) m;
        n += chunk.entries().size();
        if (chunk.last()) {
          return n;
        }
      }
    } catch (IOException e) {
      return "failed: " + e;
    }
  }
}
