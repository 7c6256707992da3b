package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.server.cli.ServerProcess;
import lanfetch.server.cli.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server cannot read it does not serve, and does not list: LIST, recursive LIST and STAT
 * agree with GET. The server runs in a JVM of its own that permissions bind, as nobody when the
 * suite runs as root ({@link Unprivileged}), so these tests run in CI too.
 */
class PermissionsTest {
  @TempDir Path base;
  Path root;
  ServerProcess server;
  TestClient client;

  @BeforeEach
  void setUp() throws IOException {
    Unprivileged.share(base);
    root = Files.createDirectories(base.resolve("files"));
    Files.writeString(root.resolve("ok.txt"), "inside");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/in.txt"), "inside too");
  }

  private void start() throws IOException {
    server = ServerProcess.startUnprivileged(root, "-q");
    client = TestClient.connect(server.address);
    client.handshake();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Path lock(Path p) throws IOException {
    return Files.setPosixFilePermissions(p, Set.of());
  }

  private List<String> names(String dir, boolean recursive) throws IOException {
    return client.list(dir, recursive).stream().map(Entry::name).toList();
  }

  /** After each refusal the same connection still serves a file. */
  private void assertRefused(String name, ErrorCode code) throws IOException {
    client.send(GetRequest.whole(name));
    client.expectError(code);
    assertEquals("inside", new String(client.get("ok.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void unreadableFilesAreForbidden() throws IOException {
    lock(Files.writeString(root.resolve("locked.txt"), "x"));
    start();
    assertRefused("locked.txt", ErrorCode.FORBIDDEN);
  }

  @Test
  void unreadableFilesAreNeitherListedNorStatted() throws IOException {
    lock(Files.writeString(root.resolve("locked.txt"), "x"));
    lock(Files.writeString(root.resolve("sub/locked.txt"), "x"));
    Files.createSymbolicLink(root.resolve("link-to-locked"), Path.of("locked.txt"));
    start();
    assertEquals(List.of("ok.txt", "sub"), names("", false));
    assertEquals(List.of("ok.txt", "sub", "sub/in.txt"), names("", true));
    assertEquals(List.of("in.txt"), names("sub", false));
    for (String name : List.of("locked.txt", "sub/locked.txt", "link-to-locked")) {
      client.send(new StatRequest(name));
      client.expectError(ErrorCode.FORBIDDEN);
      client.send(new HashRequest(name));
      client.expectError(ErrorCode.FORBIDDEN);
      assertRefused(name, ErrorCode.FORBIDDEN);
    }
  }

  /**
   * A directory the server cannot open is refused by LIST and STAT and left out of listings, its
   * contents with it: GET cannot reach them either (the open walks directory handles).
   */
  @Test
  void unreadableDirectoriesAreNeitherListedNorStatted() throws IOException {
    Path locked = Files.createDirectories(root.resolve("locked"));
    Files.writeString(locked.resolve("inner.txt"), "x");
    Path searchOnly = Files.createDirectories(root.resolve("search-only"));
    Files.writeString(searchOnly.resolve("inner.txt"), "x");
    lock(locked);
    Files.setPosixFilePermissions(searchOnly, PosixFilePermissions.fromString("--x--x--x"));
    try {
      start();
      assertEquals(List.of("ok.txt", "sub"), names("", false));
      assertEquals(List.of("ok.txt", "sub", "sub/in.txt"), names("", true));
      for (String dir : List.of("locked", "search-only")) {
        client.send(new StatRequest(dir));
        client.expectError(ErrorCode.FORBIDDEN);
        client.send(new ListRequest(dir, false));
        client.expectError(ErrorCode.FORBIDDEN);
        client.send(new ListRequest(dir, true));
        client.expectError(ErrorCode.FORBIDDEN);
        assertRefused(dir + "/inner.txt", ErrorCode.FORBIDDEN);
      }
    } finally {
      // Let the temporary directory's cleanup in.
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(searchOnly, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /**
   * Over HTTP a directory the server cannot read is 403 before any listing starts, and a HEAD is
   * answered as its GET would be: a HEAD of a directory lists nothing, so it must not be the one
   * request that says 200.
   */
  @Test
  void unreadableDirectoriesAreForbiddenOverHttpToHeadAsToGet() throws IOException {
    Path locked = lock(Files.createDirectories(root.resolve("locked")));
    Path searchOnly = Files.createDirectories(root.resolve("search-only"));
    Files.setPosixFilePermissions(searchOnly, PosixFilePermissions.fromString("--x--x--x"));
    try {
      start();
      for (String dir : List.of("locked/", "search-only/")) {
        for (String method : List.of("GET", "HEAD")) {
          assertEquals(403, httpStatus(method, dir), method + " " + dir);
        }
      }
      assertEquals(200, httpStatus("HEAD", "sub/"));
    } finally {
      // Let the temporary directory's cleanup in.
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(searchOnly, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** The status code of one HTTP/1.1 request on a connection of its own. */
  private int httpStatus(String method, String target) throws IOException {
    try (var socket = new Socket()) {
      socket.setSoTimeout(20_000);
      socket.connect(server.address, 10_000);
      socket
          .getOutputStream()
          .write(
              (method + " /" + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      var status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertTrue(status != null && status.startsWith("HTTP/1.1 "), String.valueOf(status));
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  /** Everything a listing shows, a request gets, as the listing described it. */
  @Test
  void everyListedEntryIsServed() throws IOException {
    lock(Files.writeString(root.resolve("locked.txt"), "x"));
    lock(Files.createDirectories(root.resolve("locked")));
    try {
      start();
      for (Entry e : client.list("", true)) {
        client.send(new StatRequest(e.name()));
        assertEquals(e, assertInstanceOf(StatResult.class, client.read()).entry());
        if (e.kind() == EntryKind.FILE) {
          assertArrayEquals(Files.readAllBytes(root.resolve(e.name())), client.get(e.name()));
        } else {
          client.list(e.name(), false);
        }
      }
    } finally {
      Files.setPosixFilePermissions(
          root.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
    }
  }
}
