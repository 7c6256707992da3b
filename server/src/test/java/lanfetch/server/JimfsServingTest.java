package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server serves a Path on any NIO file system; jimfs stands in for the unusual ones. */
class JimfsServingTest {
  FileSystem fs;
  FileServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    fs.close();
  }

  @Test
  void servesFilesFromAnInMemoryFileSystemByteForByte() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    Path root = Files.createDirectories(fs.getPath("/srv/files"));
    byte[] mib = new byte[1 << 20];
    new Random(11).nextBytes(mib);
    Files.write(root.resolve("zero"), new byte[0]);
    Files.write(root.resolve("one"), new byte[] {1});
    Files.write(root.resolve("mib"), mib);
    Files.writeString(fs.getPath("/srv/secret"), "OUTSIDE");
    Files.createSymbolicLink(root.resolve("out"), fs.getPath("/srv/secret"));
    Files.createSymbolicLink(root.resolve("in"), fs.getPath("mib"));
    server = Servers.start(root, b -> b);
    try (var c = TestClient.open(server)) {
      assertArrayEquals(new byte[0], c.get("zero"));
      assertArrayEquals(new byte[] {1}, c.get("one"));
      assertArrayEquals(mib, c.get("mib"));
      assertArrayEquals(mib, c.get("in"));
      c.send(GetRequest.whole("out"));
      c.expectError(ErrorCode.FORBIDDEN);
      c.send(new HashRequest("mib"));
      assertArrayEquals(
          java.security.MessageDigest.getInstance("SHA-256").digest(mib),
          assertInstanceOf(HashResult.class, c.read()).sha256());
      assertEquals(
          List.of("in", "mib", "one", "zero"),
          c.list("", false).stream().map(Entry::name).toList());
    }
  }

  /**
   * Code-point order, which is UTF-8 byte order: what a client in any language gets from its own
   * string or byte comparison. Java's String order is UTF-16 order, where the emoji (U+1F600, a
   * surrogate pair) sorts before U+FF46 and U+E000.
   */
  @Test
  void listingsAreSortedInCodePointOrder() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    Path root = Files.createDirectories(fs.getPath("/srv/files"));
    List<String> names = List.of("A", "a", "\u00e9", "\ue000", "\uff46", "\ud83d\ude00");
    for (String name : names) {
      Files.createDirectories(root.resolve(name));
      Files.writeString(root.resolve(name).resolve("\ud83d\ude00.txt"), name);
      Files.writeString(root.resolve(name).resolve("\uff46.txt"), name);
    }
    server = Servers.start(root, b -> b);
    try (var c = TestClient.open(server)) {
      assertEquals(names, c.list("", false).stream().map(Entry::name).toList());
      List<String> recursive = c.list("", true).stream().map(Entry::name).toList();
      assertEquals(
          List.of("\ue000", "\ue000/\uff46.txt", "\ue000/\ud83d\ude00.txt"),
          recursive.subList(9, 12));
      var bytes =
          recursive.stream()
              .filter(n -> !n.contains("/"))
              .map(n -> n.getBytes(StandardCharsets.UTF_8))
              .toList();
      for (int i = 1; i < bytes.size(); i++) {
        assertTrue(
            java.util.Arrays.compareUnsigned(bytes.get(i - 1), bytes.get(i)) < 0,
            "UTF-8 byte order at " + i + ": " + recursive);
      }
    }
  }

  /**
   * The 4096-byte cap is on the name relative to the root, the one a client requests: a listing of
   * a subdirectory leaves out entries whose name is short relative to it but too long in full, so
   * everything listed can be fetched.
   */
  @Test
  void listingsLeaveOutEntriesWhoseFullNameIsTooLongToRequest() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    Path root = Files.createDirectories(fs.getPath("/srv/files"));
    var levels = new java.util.ArrayList<String>(); // levels.get(k): the name of level k
    levels.add("");
    Path dir = root;
    for (int k = 1; k <= 17; k++) {
      String segment = String.format(java.util.Locale.ROOT, "%02d", k) + "s".repeat(253);
      dir = Files.createDirectories(dir.resolve(segment));
      Files.writeString(dir.resolve("x"), "level " + k);
      levels.add(lanfetch.protocol.Names.join(levels.get(k - 1), segment));
    }
    assertEquals(4095, levels.get(16).length(), "level 16 is the deepest name that fits");
    server = Servers.start(root, b -> b);
    try (var c = TestClient.open(server)) {
      String listed = levels.get(8);
      List<String> names =
          c.list(listed, true).stream()
              .map(e -> lanfetch.protocol.Names.join(listed, e.name()))
              .toList();
      assertTrue(names.contains(levels.get(15) + "/x"), names::toString);
      assertTrue(names.contains(levels.get(16)), names::toString);
      assertFalse(names.contains(levels.get(16) + "/x"), "4097 bytes in full");
      assertEquals(16, names.size(), "levels 9 to 16, and the file in each of levels 8 to 15");
      assertEquals(
          names,
          c.list("", true).stream()
              .map(Entry::name)
              .filter(n -> n.startsWith(listed + "/"))
              .toList());
      for (String name : names) {
        c.send(new lanfetch.protocol.StatRequest(name));
        assertInstanceOf(lanfetch.protocol.StatResult.class, c.read(), name);
      }
    }
  }

  @Test
  void namesAWindowsFileSystemCannotHoldAreRefusedCleanly() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.windows());
    Path root = Files.createDirectories(fs.getPath("C:\\srv"));
    Files.writeString(root.resolve("report.txt"), "ok");
    server = Servers.start(root, b -> b);
    try (var c = TestClient.open(server)) {
      for (String name : List.of("a<b", "what?", "star*", "pipe|x", "q\"uote")) {
        c.send(GetRequest.whole(name));
        c.expectError(ErrorCode.INVALID_NAME);
      }
      // Windows names are case-insensitive; the name as sent still maps to the file.
      assertEquals("ok", new String(c.get("REPORT.TXT"), StandardCharsets.UTF_8));
    }
  }
}
