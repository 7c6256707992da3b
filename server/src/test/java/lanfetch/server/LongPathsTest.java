package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names whose full path on the server (root, '/', name) is longer than PATH_MAX (4096 bytes on
 * Linux): every request walks directory handles, so a valid name works whatever the root's length.
 * Real files: jimfs has no PATH_MAX. The tree is built under a short path and moved in, since
 * nothing can be created by a path that long.
 */
class LongPathsTest {
  private static final String D = "d".repeat(250);
  private static final String E = "e".repeat(250);
  private static final String F = "f".repeat(250);
  private static final String DEEP = D + "/" + E + "/" + F;

  @TempDir Path base;
  Path root;
  FileServer server;
  TestClient client;

  @BeforeEach
  void setUp() throws IOException {
    Path r = base;
    for (int i = 0; i < 14; i++) {
      r = r.resolve(i + "r".repeat(240));
    }
    root = Files.createDirectories(r);
    Files.writeString(root.resolve("top.txt"), "top");
    Path staging = Files.createDirectories(base.resolve("s").resolve(DEEP));
    Files.writeString(staging.resolve("file.txt"), "deep");
    Files.createDirectories(staging.resolve("sub"));
    Files.writeString(staging.resolve("sub/more.txt"), "more");
    Files.createSymbolicLink(staging.resolve("up.txt"), Path.of("../../../top.txt"));
    Files.move(base.resolve("s").resolve(D), root.resolve(D));
    server = Servers.start(root, b -> b);
    client = TestClient.open(server);
  }

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    server.close();
    // Back under a short path, where the temporary directory's cleanup can reach it.
    Files.move(root.resolve(D), base.resolve("back"));
  }

  private int fullPathBytes(String name) {
    return (root + "/" + name).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void everyRequestServesANameWhoseFullPathExceedsPathMax() throws Exception {
    String name = DEEP + "/file.txt";
    assertTrue(fullPathBytes(DEEP) > 4096, "the test's paths must pass PATH_MAX");
    assertTrue(name.length() < Wire.MAX_NAME_BYTES);

    assertArrayEquals("deep".getBytes(StandardCharsets.UTF_8), client.get(name));
    client.send(new StatRequest(name));
    Entry stat = assertInstanceOf(StatResult.class, client.read()).entry();
    assertEquals(EntryKind.FILE, stat.kind());
    assertEquals(4, stat.size());
    client.send(new StatRequest(DEEP + "/sub"));
    assertEquals(
        EntryKind.DIRECTORY, assertInstanceOf(StatResult.class, client.read()).entry().kind());
    client.send(new HashRequest(name));
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest("deep".getBytes(StandardCharsets.UTF_8)),
        assertInstanceOf(HashResult.class, client.read()).sha256());
    assertEquals(
        List.of("file.txt", "sub", "sub/more.txt"),
        client.list(DEEP, true).stream().map(Entry::name).toList());
    assertEquals(
        List.of("more.txt"), client.list(DEEP + "/sub", false).stream().map(Entry::name).toList());
    client.send(new StatRequest(DEEP + "/nope.txt"));
    client.expectError(ErrorCode.NOT_FOUND);
  }

  /**
   * A link whose full path is past PATH_MAX cannot be followed (Java reads links only by path): it
   * is refused by every request and, consistently, left out of every listing. Everything a listing
   * shows is served.
   */
  @Test
  void listingsShowExactlyWhatIsServedPastPathMax() throws IOException {
    String link = DEEP + "/up.txt";
    assertTrue(fullPathBytes(link) > 4096);
    client.send(GetRequest.whole(link));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new StatRequest(link));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new HashRequest(link));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new ListRequest(link, false));
    client.expectError(ErrorCode.FORBIDDEN);

    List<Entry> all = client.list("", true);
    assertEquals(
        List.of(
            D,
            D + "/" + E,
            DEEP,
            DEEP + "/file.txt",
            DEEP + "/sub",
            DEEP + "/sub/more.txt",
            "top.txt"),
        all.stream().map(Entry::name).toList());
    assertFalse(client.list(DEEP, false).stream().anyMatch(e -> e.name().equals("up.txt")));
    for (Entry e : all) {
      client.send(new StatRequest(e.name()));
      assertEquals(e, assertInstanceOf(StatResult.class, client.read()).entry(), e.name());
    }
  }
}
