package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A name reaches only a regular file inside the root, on a real file system with real links. Every
 * refusal is an ERROR frame that leaves the connection usable.
 */
class ConfinementTest {
  @TempDir Path base;
  Path root;
  FileServer server;
  TestClient client;
  final RecordingLog log = new RecordingLog();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(base.resolve("files"));
    Files.writeString(root.resolve("ok.txt"), "inside");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/in.txt"), "inside too");
    Files.writeString(base.resolve("secret.txt"), "OUTSIDE");
    Files.createDirectories(base.resolve("files-private"));
    Files.writeString(base.resolve("files-private/x"), "OUTSIDE");
    Files.createDirectories(base.resolve("outdir"));
    Files.writeString(base.resolve("outdir/y.txt"), "OUTSIDE");
    start(false, false);
  }

  private void start(boolean noSymlinks, boolean hidden) throws IOException {
    if (server != null) {
      client.close();
      server.close();
    }
    server = Servers.start(root, b -> b.followSymlinks(!noSymlinks).serveHidden(hidden).log(log));
    client = TestClient.open(server);
  }

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    server.close();
  }

  /** After each refusal the same connection still serves a file. */
  private void assertRefused(String name, ErrorCode code) throws IOException {
    client.send(GetRequest.whole(name));
    client.expectError(code);
    assertEquals("inside", new String(client.get("ok.txt"), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../secret.txt",
        "sub/../../secret.txt",
        "sub/..",
        "./ok.txt",
        "/etc/passwd",
        "/ok.txt",
        "sub//in.txt",
        "sub/",
        "C:x",
        "C:\\x",
        "\\\\server\\share\\x",
        "sub\\in.txt",
        "ok.txt\u0000",
        "a\nb",
        "ok.txt.",
        "ok.txt ",
        "CON",
        "nul.txt",
        "com1",
        "LPT9.log",
        "ok.txt:stream",
        "ok.txt::$DATA"
      })
  void malformedNamesAreInvalid(String name) throws IOException {
    assertRefused(name, ErrorCode.INVALID_NAME);
    log.awaitAccess(ErrorCode.INVALID_NAME.name());
  }

  @Test
  void emptyNameIsInvalidExceptForListingTheRoot() throws IOException {
    assertRefused("", ErrorCode.INVALID_NAME);
    client.send(new StatRequest(""));
    client.expectError(ErrorCode.INVALID_NAME);
    assertEquals(
        List.of("ok.txt", "sub"), client.list("", false).stream().map(Entry::name).toList());
  }

  @Test
  void overlongNamesAndSegmentsAreInvalid() throws IOException {
    assertRefused("a".repeat(256), ErrorCode.INVALID_NAME);
    assertRefused(("a".repeat(200) + "/").repeat(21) + "a", ErrorCode.INVALID_NAME);
  }

  @Test
  void missingFilesAreNotFound() throws IOException {
    assertRefused("nope.txt", ErrorCode.NOT_FOUND);
    assertRefused("ok.txt/deeper", ErrorCode.NOT_FOUND);
  }

  @Test
  void aSiblingWhoseNameExtendsTheRootIsOutside() throws IOException {
    Files.createSymbolicLink(root.resolve("priv"), base.resolve("files-private"));
    assertRefused("priv/x", ErrorCode.FORBIDDEN);
  }

  @Test
  void linksInsideTheRootAreServed() throws IOException {
    Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("sub/in.txt"));
    Files.createSymbolicLink(root.resolve("rel.txt"), Path.of("sub/in.txt"));
    Files.createSymbolicLink(root.resolve("dirlink"), root.resolve("sub"));
    assertEquals("inside too", new String(client.get("link.txt"), StandardCharsets.UTF_8));
    assertEquals("inside too", new String(client.get("rel.txt"), StandardCharsets.UTF_8));
    assertEquals("inside too", new String(client.get("dirlink/in.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void linksLeadingOutsideAreRefusedAtTheEndOrInTheMiddle() throws IOException {
    Files.createSymbolicLink(root.resolve("out.txt"), base.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("up.txt"), Path.of("../secret.txt"));
    Files.createSymbolicLink(root.resolve("outdir"), base.resolve("outdir"));
    Files.createSymbolicLink(root.resolve("sub/back"), Path.of("../../outdir"));
    assertRefused("out.txt", ErrorCode.FORBIDDEN);
    assertRefused("up.txt", ErrorCode.FORBIDDEN);
    assertRefused("outdir/y.txt", ErrorCode.FORBIDDEN);
    assertRefused("outdir/missing.txt", ErrorCode.FORBIDDEN);
    assertRefused("sub/back/y.txt", ErrorCode.FORBIDDEN);
    client.send(new HashRequest("out.txt"));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new StatRequest("outdir"));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new ListRequest("outdir", false));
    client.expectError(ErrorCode.FORBIDDEN);
    assertEquals(
        List.of("ok.txt", "sub", "sub/in.txt"),
        client.list("", true).stream().map(Entry::name).toList());
  }

  @Test
  void danglingAndLoopingLinksAreRefused() throws IOException {
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("gone"));
    Files.createSymbolicLink(root.resolve("loop1"), root.resolve("loop2"));
    Files.createSymbolicLink(root.resolve("loop2"), root.resolve("loop1"));
    assertRefused("dangling", ErrorCode.NOT_FOUND);
    assertRefused("loop1", ErrorCode.FORBIDDEN);
  }

  @Test
  void noSymlinksRefusesEveryLinkEvenInside() throws IOException {
    Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("ok.txt"));
    Files.createSymbolicLink(root.resolve("dirlink"), root.resolve("sub"));
    start(true, false);
    assertRefused("link.txt", ErrorCode.FORBIDDEN);
    assertRefused("dirlink/in.txt", ErrorCode.FORBIDDEN);
    assertEquals(
        List.of("ok.txt", "sub", "sub/in.txt"),
        client.list("", true).stream().map(Entry::name).toList());
  }

  @Test
  void recursiveListingFollowsInsideLinksWithoutLooping() throws IOException {
    Files.createSymbolicLink(root.resolve("sub/again"), root);
    Files.createSymbolicLink(root.resolve("other"), root.resolve("sub"));
    // "other" is entered (it is not an ancestor); "sub/again" is listed but not entered.
    assertEquals(
        List.of("ok.txt", "other", "other/again", "other/in.txt", "sub", "sub/again", "sub/in.txt"),
        client.list("", true).stream().map(Entry::name).toList());
  }

  @Test
  void hiddenNamesAreNeitherListedNorServedUnlessAllowed() throws IOException {
    Files.writeString(root.resolve(".env"), "SECRET=1");
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), "x");
    Files.createSymbolicLink(root.resolve("visible"), root.resolve(".env"));
    assertRefused(".env", ErrorCode.FORBIDDEN);
    assertRefused(".git/config", ErrorCode.FORBIDDEN);
    assertRefused("visible", ErrorCode.FORBIDDEN);
    assertEquals(
        List.of("ok.txt", "sub", "sub/in.txt"),
        client.list("", true).stream().map(Entry::name).toList());
    start(false, true);
    assertEquals("SECRET=1", new String(client.get(".env"), StandardCharsets.UTF_8));
    assertEquals("SECRET=1", new String(client.get("visible"), StandardCharsets.UTF_8));
    assertEquals(
        List.of(".env", ".git", ".git/config", "ok.txt", "sub", "sub/in.txt", "visible"),
        client.list("", true).stream().map(Entry::name).toList());
  }

  @Test
  void directoriesAreNotFiles() throws IOException {
    assertRefused("sub", ErrorCode.NOT_A_FILE);
    client.send(new HashRequest("sub"));
    client.expectError(ErrorCode.NOT_A_FILE);
    client.send(new StatRequest("sub"));
    assertEquals(
        lanfetch.protocol.EntryKind.DIRECTORY,
        assertInstanceOf(StatResult.class, client.read()).entry().kind());
  }

  @Test
  void fifosNeverBlockAndAreNotListed() throws Exception {
    Path fifo = root.resolve("pipe");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    assertRefused("pipe", ErrorCode.NOT_A_FILE);
    client.send(new HashRequest("pipe"));
    client.expectError(ErrorCode.NOT_A_FILE);
    client.send(new StatRequest("pipe"));
    client.expectError(ErrorCode.FORBIDDEN);
    client.send(new ListRequest("pipe", false));
    client.expectError(ErrorCode.NOT_A_DIRECTORY);
    assertEquals(
        List.of("ok.txt", "sub"), client.list("", false).stream().map(Entry::name).toList());
    assertEquals(
        List.of("ok.txt", "sub", "sub/in.txt"),
        client.list("", true).stream().map(Entry::name).toList());
  }

  static boolean mkfifo(Path p) throws InterruptedException {
    try {
      Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
      return proc.waitFor() == 0 && Files.exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void servedBytesMatch() throws IOException {
    assertArrayEquals("inside".getBytes(StandardCharsets.UTF_8), client.get("ok.txt"));
  }
}
