package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Wire;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HASH requests run on a pool of their own and share work on the same file. */
class HashingTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @Test
  void clientsHashingAHugeFileLeaveWorkersForEveryoneElse() throws Exception {
    // Minutes of SHA-256 at any speed; the test ends long before, by stopping the server.
    TestFiles.sparse(server.root().resolve("huge.bin"), 1L << 40);
    Files.writeString(server.root().resolve("a.txt"), "hello");
    server.start(b -> b.threads(4).grace(Duration.ZERO));
    var hashing = new ArrayList<TestClient>();
    try {
      for (int i = 0; i < 8; i++) { // twice the workers, each asking and then reading nothing
        var c = server.open();
        c.send(new HashRequest("huge.bin"));
        hashing.add(c);
      }
      Servers.await(
          Duration.ofSeconds(20),
          "every HASH taken up or queued",
          () -> server.get().queuedRequests() == 8 - FileServer.hashThreads(4));
      try (var honest = server.open()) {
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), honest.get("a.txt"));
        honest.send(new StatRequest("a.txt"));
        assertEquals(5, assertInstanceOf(StatResult.class, honest.read()).entry().size());
      }
    } finally {
      for (var c : hashing) {
        c.close();
      }
    }
  }

  @Test
  void concurrentHashesOfOneFileAgreeWithSha256() throws Exception {
    byte[] data = new byte[5 << 20];
    new java.util.Random(3).nextBytes(data);
    Files.write(server.root().resolve("f.bin"), data);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    server.start(b -> b.threads(8));
    var clients = new ArrayList<TestClient>();
    try {
      for (int i = 0; i < 6; i++) {
        var c = server.open();
        c.send(new HashRequest("f.bin"));
        clients.add(c);
      }
      for (var c : clients) {
        var r = assertInstanceOf(HashResult.class, c.read());
        assertEquals(data.length, r.size());
        assertArrayEquals(expected, r.sha256());
      }
    } finally {
      for (var c : clients) {
        c.close();
      }
    }
  }

  @Test
  void hashRangeIsOfferedOnlyToAClientThatSpeaksItAndHashesTheRange() throws Exception {
    byte[] data = lanfetch.testing.TestFiles.random(300_000, 7);
    Files.write(server.root().resolve("r.bin"), data);
    try (var plain = lanfetch.server.TestClient.connect(server.address())) {
      assertEquals(0, plain.handshake().capabilities(), "a HELLO without capabilities gets none");
    }
    try (var c = lanfetch.server.TestClient.connect(server.address())) {
      c.send(new lanfetch.protocol.Hello(Wire.VERSION, 0xFF, java.util.Map.of()));
      var welcome = assertInstanceOf(lanfetch.protocol.Welcome.class, c.read());
      assertEquals(Wire.CAP_RANGE_HASH, welcome.capabilities(), "only the bits it speaks");
      c.send(
          new HashRequest("r.bin", 0, 100_000),
          new HashRequest("r.bin", 100_000, 200_000),
          new HashRequest("r.bin", 0, 300_001));
      var prefix = assertInstanceOf(HashResult.class, c.read());
      assertEquals(300_000, prefix.size(), "the whole file's size");
      assertEquals(
          lanfetch.testing.TestFiles.sha256(java.util.Arrays.copyOf(data, 100_000)), prefix.hex());
      var rest = assertInstanceOf(HashResult.class, c.read());
      assertEquals(
          lanfetch.testing.TestFiles.sha256(java.util.Arrays.copyOfRange(data, 100_000, 300_000)),
          rest.hex());
      c.expectError(lanfetch.protocol.ErrorCode.INVALID_RANGE);
    }
  }
}
