package lanfetch.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.server.ServerExtension;
import lanfetch.server.Servers;
import lanfetch.server.TestClient;
import lanfetch.server.cli.ServerProcess;
import lanfetch.server.cli.Unprivileged;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server keeps handles on the directories it served files from, and proves each again, from the
 * root down, before every use ({@link DirectoryCache}). Whatever happens to a directory between two
 * GETs, the second is answered as a server that never served the first would answer it: each test
 * first serves a file so that its directory is kept, then changes the directory under the server.
 */
class KeptDirectoriesTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();
  private Path root;

  @BeforeEach
  void tree() throws IOException {
    root = server.root().toRealPath();
    Files.createDirectories(root.resolve("d/e"));
    Files.writeString(root.resolve("d/a"), "published");
    Files.writeString(root.resolve("d/e/b"), "published too");
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The file's contents over a connection of its own. */
  private String getAlone(String name) throws IOException {
    try (var c = server.open()) {
      return text(c.get(name));
    }
  }

  private void expectRefusedAlone(String name, ErrorCode code) throws IOException {
    try (var c = server.open()) {
      c.send(GetRequest.whole(name));
      c.expectError(code);
    }
  }

  /**
   * GETs {@code first}, then a file larger than the socket buffers and {@code second}, in one
   * pipelined batch; {@code change} runs once {@code first} has been answered, while the server is
   * still sending the large file. Then returns the client, for the answer to {@code second}.
   */
  private TestClient batchChangedBetween(String first, String second, Change change)
      throws IOException {
    byte[] big = new byte[32 << 20];
    Files.write(root.resolve("big"), big);
    var c = server.open();
    try {
      c.send(GetRequest.whole(first), GetRequest.whole("big"), GetRequest.whole(second));
      c.body(assertInstanceOf(GetHeader.class, c.read()));
      change.run();
      assertEquals(big.length, c.body(assertInstanceOf(GetHeader.class, c.read())).length);
      return c;
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  @FunctionalInterface
  private interface Change {
    void run() throws IOException;
  }

  /** The targets of this JVM's open descriptors on directories below the root (not the root). */
  private List<String> descriptorsBelowRoot() throws IOException {
    var below = new ArrayList<String>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(root + "/")) {
            below.add(target);
          }
        } catch (IOException e) {
          // Closed while listed (the listing's own descriptor among them).
        }
      }
    }
    return below;
  }

  @Test
  void aDirectoryMovedOutOfTheRootDuringABatchIsNoLongerServed(@TempDir Path outside)
      throws IOException {
    try (var c =
        batchChangedBetween(
            "d/a",
            "d/e/b",
            () -> {
              Files.move(root.resolve("d"), outside.resolve("d"));
              Files.writeString(outside.resolve("d/e/b"), "not for clients");
            })) {
      c.expectError(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void aDirectoryMovedOutOfTheRootBetweenConnectionsIsNoLongerServed(@TempDir Path outside)
      throws IOException {
    assertEquals("published", getAlone("d/a"));
    assertEquals("published too", getAlone("d/e/b"));
    Files.move(root.resolve("d"), outside.resolve("d"));
    Files.writeString(outside.resolve("d/secret"), "not for clients");
    expectRefusedAlone("d/a", ErrorCode.NOT_FOUND);
    expectRefusedAlone("d/secret", ErrorCode.NOT_FOUND);
    expectRefusedAlone("d/e/b", ErrorCode.NOT_FOUND);
  }

  @Test
  void aNestedDirectoryMovedOutIsNoLongerServedThoughItsParentStays(@TempDir Path outside)
      throws IOException {
    assertEquals("published too", getAlone("d/e/b"));
    Files.move(root.resolve("d/e"), outside.resolve("e"));
    expectRefusedAlone("d/e/b", ErrorCode.NOT_FOUND);
    assertEquals("published", getAlone("d/a"));
  }

  @Test
  void aDirectoryReplacedByALinkLeadingOutIsRefused(@TempDir Path outside) throws IOException {
    try (var c =
        batchChangedBetween(
            "d/a",
            "d/a",
            () -> {
              Files.move(root.resolve("d"), outside.resolve("d"));
              Files.createSymbolicLink(root.resolve("d"), outside.resolve("d"));
            })) {
      c.expectError(ErrorCode.FORBIDDEN);
    }
    expectRefusedAlone("d/e/b", ErrorCode.FORBIDDEN);
  }

  @Test
  void aDirectoryRenamedHiddenIsNoLongerServed() throws IOException {
    assertEquals("published too", getAlone("d/e/b"));
    try (var c =
        batchChangedBetween(
            "d/a", "d/a", () -> Files.move(root.resolve("d"), root.resolve(".d")))) {
      c.expectError(ErrorCode.NOT_FOUND);
    }
    expectRefusedAlone("d/e/b", ErrorCode.NOT_FOUND);
    expectRefusedAlone(".d/e/b", ErrorCode.FORBIDDEN);
  }

  @Test
  void aDirectoryReplacedByAnotherOfTheSameNameServesTheNewOnesFiles(@TempDir Path outside)
      throws IOException {
    assertEquals("published", getAlone("d/a"));
    Files.move(root.resolve("d"), outside.resolve("old"));
    Files.createDirectories(root.resolve("d"));
    Files.writeString(root.resolve("d/a"), "new");
    assertEquals("new", getAlone("d/a"));
  }

  @Test
  void aDirectoryDeletedAndRecreatedServesTheNewFilesAndItsOldHandleIsClosed() throws IOException {
    assumeTrue(Servers.procFdAvailable(), "needs /proc/self/fd to see open directories");
    assertEquals("published too", getAlone("d/e/b"));
    Files.delete(root.resolve("d/e/b"));
    Files.delete(root.resolve("d/e"));
    Files.createDirectories(root.resolve("d/e"));
    Files.writeString(root.resolve("d/e/b"), "new");
    assertEquals("new", getAlone("d/e/b"));
    List<String> open = descriptorsBelowRoot();
    assertFalse(
        open.stream().anyMatch(t -> t.endsWith(" (deleted)")), "deleted directory open: " + open);
  }

  @Test
  void overHttpTooAMovedDirectoryIsNoLongerServed(@TempDir Path outside) throws Exception {
    var http = HttpClient.newHttpClient();
    URI base = URI.create("http://" + server.hostPort() + "/");
    var first = http.send(HttpRequest.newBuilder(base.resolve("d/a")).build(), ofString());
    assertEquals(200, first.statusCode());
    assertEquals("published", first.body());
    Files.move(root.resolve("d"), outside.resolve("d"));
    Files.writeString(outside.resolve("d/secret"), "not for clients");
    var second = http.send(HttpRequest.newBuilder(base.resolve("d/secret")).build(), ofString());
    assertEquals(404, second.statusCode(), second.body());
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  /** More directories than are kept, each served twice: descriptors stay bounded. */
  @Test
  void manyDirectoriesKeepTheOpenDescriptorsBounded() throws IOException {
    assumeTrue(Servers.procFdAvailable(), "needs /proc/self/fd to count open files");
    int dirs = DirectoryCache.CAPACITY * 4;
    for (int i = 0; i < dirs; i++) {
      Files.writeString(
          Files.createDirectories(root.resolve("many/" + i)).resolve("f"), Integer.toString(i));
    }
    try (var c = server.open()) {
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < dirs; i++) {
          assertEquals(Integer.toString(i), text(c.get("many/" + i + "/f")));
        }
        List<String> open = descriptorsBelowRoot();
        // Two descriptors per handle (the JDK's directory stream holds a duplicate).
        assertTrue(
            open.size() <= 2 * DirectoryCache.CAPACITY,
            open.size() + " descriptors open below the root");
        assertFalse(open.isEmpty(), "no directory kept at all");
      }
    }
  }

  /**
   * Serves {@code d/e/b} until its directories are seen kept: a handle unused for {@link
   * DirectoryCache#IDLE_MILLIS} is closed, and a loaded machine may pause this thread that long.
   */
  private void serveUntilKept() throws IOException {
    for (int i = 0; i < 5; i++) {
      assertEquals("published too", getAlone("d/e/b"));
      if (!descriptorsBelowRoot().isEmpty()) {
        return;
      }
    }
    throw new AssertionError("no directory kept after 5 requests");
  }

  private boolean nothingOpenBelowRoot() {
    try {
      return descriptorsBelowRoot().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void stoppingTheServerClosesEveryKeptHandle() throws IOException {
    assumeTrue(Servers.procFdAvailable(), "needs /proc/self/fd to see open directories");
    serveUntilKept();
    server.stop();
    assertEquals(List.of(), descriptorsBelowRoot());
  }

  /** A quiet server holds nothing below its root: a file system mounted there can be unmounted. */
  @Test
  void aQuietServerClosesItsKeptHandles() throws IOException {
    assumeTrue(Servers.procFdAvailable(), "needs /proc/self/fd to see open directories");
    serveUntilKept();
    Servers.await(
        Duration.ofSeconds(20), "the kept directory handles closed", this::nothingOpenBelowRoot);
    assertEquals("published too", getAlone("d/e/b"));
  }

  /**
   * Read permission taken from a kept directory is noticed: the server runs as a user permissions
   * bind ({@link Unprivileged}), and a directory it may only search, or not even that, is refused
   * as on a first request; given back, it is served again.
   */
  @Test
  void aDirectoryMadeUnreadableIsRefusedAndServedAgainOnceReadable(@TempDir Path base)
      throws Exception {
    Unprivileged.share(base);
    Path files = Files.createDirectories(base.resolve("files"));
    Path d = Files.createDirectories(files.resolve("d"));
    Files.writeString(d.resolve("a"), "published");
    try (var process = ServerProcess.startUnprivileged(files, "-q");
        var c = TestClient.connect(process.address)) {
      c.handshake();
      assertEquals("published", text(c.get("d/a")));
      for (String locked : List.of("--x--x--x", "---------")) {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(locked));
        c.send(GetRequest.whole("d/a"));
        c.expectError(ErrorCode.FORBIDDEN);
      }
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      assertEquals("published", text(c.get("d/a")));
    } finally {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
