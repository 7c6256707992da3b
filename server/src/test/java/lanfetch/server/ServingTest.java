package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Welcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving a real directory over loopback: what an honest client sees. */
class ServingTest {
  @TempDir Path root;
  FileServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        FileServer.start(
            ServerConfig.builder(root)
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void welcomesWithVersionAndSoftware() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      Welcome w = c.handshake();
      assertEquals(1, w.version());
      assertEquals("lanfetch-server/dev", w.software());
    }
  }

  @Test
  void filesOfZeroOneAndOneMebibyteArriveIdentical() throws IOException {
    byte[] mib = new byte[1 << 20];
    new Random(7).nextBytes(mib);
    Files.write(root.resolve("empty"), new byte[0]);
    Files.write(root.resolve("one"), new byte[] {42});
    Files.write(root.resolve("mib.bin"), mib);
    try (var c = TestClient.open(server)) {
      assertArrayEquals(new byte[0], c.get("empty"));
      assertArrayEquals(new byte[] {42}, c.get("one"));
      assertArrayEquals(mib, c.get("mib.bin"));
    }
  }

  @Test
  void rangesServeTheRequestedSliceAndRefuseOutOfRange() throws IOException {
    Files.writeString(root.resolve("a.txt"), "hello world");
    try (var c = TestClient.open(server)) {
      c.send(new GetRequest("a.txt", 6, 5));
      var h = assertInstanceOf(GetHeader.class, c.read());
      assertEquals(new GetHeader(11, 6, 5, h.modifiedMillis()), h);
      assertEquals("world", new String(c.body(h), StandardCharsets.UTF_8));
      c.send(GetRequest.from("a.txt", 11));
      assertEquals(0, assertInstanceOf(GetHeader.class, c.read()).length());
      c.send(GetRequest.from("a.txt", 12));
      c.expectError(ErrorCode.INVALID_RANGE);
      c.send(new GetRequest("a.txt", 6, 6));
      c.expectError(ErrorCode.INVALID_RANGE);
      assertEquals("hello world", new String(c.get("a.txt"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void chineseNamesAreServedAndListed() throws IOException {
    Files.createDirectories(root.resolve("报告"));
    Files.writeString(root.resolve("报告/季度.txt"), "数据");
    try (var c = TestClient.open(server)) {
      assertEquals("数据", new String(c.get("报告/季度.txt"), StandardCharsets.UTF_8));
      assertEquals(List.of("报告", "报告/季度.txt"), c.list("", true).stream().map(Entry::name).toList());
    }
  }

  @Test
  void listsSortedWithDirectoriesBeforeTheirContents() throws IOException {
    Files.createDirectories(root.resolve("b/c"));
    Files.writeString(root.resolve("b/c/d.txt"), "d");
    Files.writeString(root.resolve("a.txt"), "aa");
    try (var c = TestClient.open(server)) {
      List<Entry> flat = c.list("", false);
      assertEquals(List.of("a.txt", "b"), flat.stream().map(Entry::name).toList());
      assertEquals(
          new Entry(EntryKind.FILE, 2, flat.get(0).modifiedMillis(), "a.txt"), flat.get(0));
      assertEquals(
          List.of("a.txt", "b", "b/c", "b/c/d.txt"),
          c.list("", true).stream().map(Entry::name).toList());
      assertEquals(List.of("c", "c/d.txt"), c.list("b", true).stream().map(Entry::name).toList());
      c.send(new lanfetch.protocol.ListRequest("a.txt", false));
      c.expectError(ErrorCode.NOT_A_DIRECTORY);
    }
  }

  @Test
  void largeListingsSpanSeveralChunks() throws IOException {
    for (int i = 0; i < 3000; i++) {
      Files.writeString(root.resolve(String.format("file-with-a-longish-name-%05d.txt", i)), "");
    }
    try (var c = TestClient.open(server)) {
      c.send(new lanfetch.protocol.ListRequest("", false));
      var first = assertInstanceOf(lanfetch.protocol.ListChunk.class, c.read());
      assertEquals(false, first.last());
      var rest = c.readListing();
      assertEquals(3000, first.entries().size() + rest.size());
      assertEquals("file-with-a-longish-name-00000.txt", first.entries().get(0).name());
    }
  }

  @Test
  void statAndHashDescribeFiles() throws Exception {
    Files.writeString(root.resolve("a.txt"), "hello");
    try (var c = TestClient.open(server)) {
      c.send(new StatRequest("a.txt"));
      var stat = assertInstanceOf(StatResult.class, c.read()).entry();
      assertEquals(EntryKind.FILE, stat.kind());
      assertEquals(5, stat.size());
      for (int i = 0; i < 2; i++) { // the second answer comes from the cache
        c.send(new HashRequest("a.txt"));
        var hash = assertInstanceOf(HashResult.class, c.read());
        assertArrayEquals(
            MessageDigest.getInstance("SHA-256").digest("hello".getBytes()), hash.sha256());
      }
      Files.writeString(root.resolve("a.txt"), "hello, changed");
      c.send(new HashRequest("a.txt"));
      assertArrayEquals(
          MessageDigest.getInstance("SHA-256").digest("hello, changed".getBytes()),
          assertInstanceOf(HashResult.class, c.read()).sha256());
      c.send(new StatRequest("nope"));
      c.expectError(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    Files.writeString(root.resolve("a"), "A");
    Files.writeString(root.resolve("b"), "BB");
    try (var c = TestClient.connect(server.address())) {
      c.send(
          new lanfetch.protocol.Hello(1, 0, java.util.Map.of()),
          GetRequest.whole("a"),
          new StatRequest("missing"),
          GetRequest.whole("b"),
          new StatRequest("a"));
      assertInstanceOf(Welcome.class, c.read());
      assertEquals("A", new String(c.body(assertInstanceOf(GetHeader.class, c.read()))));
      c.expectError(ErrorCode.NOT_FOUND);
      assertEquals("BB", new String(c.body(assertInstanceOf(GetHeader.class, c.read()))));
      assertEquals("a", assertInstanceOf(StatResult.class, c.read()).entry().name());
    }
  }

  @Test
  void aPipelineAcrossManyDirectoriesGetsEachFileFromItsOwnDirectory() throws IOException {
    // Leaf names shared between directories, a link and a missing file in one pipeline: each
    // request is resolved on its own, and no directory answers for another.
    var names = new ArrayList<String>();
    for (int i = 0; i < 12; i++) {
      String dir = (i % 2 == 0 ? "x/" : "y/") + "d" + (i / 2);
      Files.createDirectories(root.resolve(dir));
      Files.writeString(root.resolve(dir + "/f"), dir);
      names.add(dir + "/f");
    }
    Files.createSymbolicLink(root.resolve("link"), root.resolve("x/d0"));
    var requests = new ArrayList<GetRequest>();
    for (int round = 0; round < 3; round++) {
      names.forEach(n -> requests.add(GetRequest.whole(n)));
      requests.add(GetRequest.whole("link/f"));
      requests.add(GetRequest.whole("x/d0/missing"));
    }
    try (var c = TestClient.open(server)) {
      c.send(requests.toArray(GetRequest[]::new));
      for (GetRequest r : requests) {
        if (r.path().endsWith("missing")) {
          c.expectError(ErrorCode.NOT_FOUND);
        } else {
          String expected =
              r.path().startsWith("link/") ? "x/d0" : r.path().substring(0, r.path().length() - 2);
          assertEquals(
              expected,
              new String(
                  c.body(assertInstanceOf(GetHeader.class, c.read())), StandardCharsets.UTF_8),
              r.path());
        }
      }
    }
  }

  @Test
  void aDirectoryMovedOutOfTheRootDuringABatchIsNoLongerServed(@TempDir Path outside)
      throws IOException {
    Files.createDirectories(root.resolve("d"));
    Files.writeString(root.resolve("d/a"), "published");
    byte[] big = new byte[32 << 20]; // more than the socket buffers hold: the batch stays open
    Files.write(root.resolve("big"), big);
    try (var c = TestClient.open(server)) {
      c.send(GetRequest.whole("d/a"), GetRequest.whole("big"), GetRequest.whole("d/secret"));
      assertEquals(
          "published",
          new String(c.body(assertInstanceOf(GetHeader.class, c.read())), StandardCharsets.UTF_8));
      // The server has been in d and is now stuck sending big: the admin unpublishes d.
      Files.move(root.resolve("d"), outside.resolve("d"));
      Files.writeString(outside.resolve("d/secret"), "not for clients");
      assertEquals(big.length, c.body(assertInstanceOf(GetHeader.class, c.read())).length);
      c.expectError(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void aLongPipelineInOneWriteIsAnsweredInOrder() throws IOException {
    for (int i = 0; i < 10; i++) {
      Files.writeString(root.resolve("f" + i), "x".repeat(i));
    }
    try (var c = TestClient.open(server)) {
      var requests = new StatRequest[1000];
      for (int i = 0; i < requests.length; i++) {
        requests[i] = new StatRequest("f" + (i % 10));
      }
      c.send(requests);
      for (int i = 0; i < requests.length; i++) {
        assertEquals(i % 10, assertInstanceOf(StatResult.class, c.read()).entry().size());
      }
    }
  }
}
