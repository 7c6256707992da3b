package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rules PROTOCOL.md settles for servers, checked on the wire against lanfetch-server. */
class ProtocolRulesTest {
  /** type, magic, version, capabilities. */
  private static final int HELLO_FIXED = 1 + 4 + 2 + 4;

  @RegisterExtension final ServerExtension server = ServerExtension.create();

  @BeforeEach
  void files() throws IOException {
    Files.writeString(server.root().resolve("a.txt"), "hello");
  }

  /** A HELLO frame with {@code extensions} written as given, repeats included. */
  private static byte[] hello(byte[]... extensions) {
    int length = HELLO_FIXED;
    for (byte[] e : extensions) {
      length += 3 + e.length;
    }
    var b =
        ByteBuffer.allocate(4 + length)
            .putInt(length)
            .put(Wire.TYPE_HELLO)
            .putInt(Wire.MAGIC)
            .putShort((short) Wire.VERSION)
            .putInt(0);
    for (byte[] e : extensions) {
      b.put((byte) 0x7E).putShort((short) e.length).put(e); // a tag no version defines
    }
    return b.array();
  }

  @Test
  void aHelloWithARepeatedExtensionTagIsABadRequest() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.sendRaw(hello(new byte[] {1}, new byte[] {2}));
      ErrorMessage e = c.expectError(ErrorCode.BAD_REQUEST);
      assertTrue(e.closing(), e.toString());
      assertTrue(e.message().contains("appears twice"), e.message());
      assertNull(c.readOrEnd());
    }
  }

  /** Extensions of later versions must keep a HELLO within the 4352 bytes every server reads. */
  @Test
  void aHelloFillingTheClientFrameCapIsReadAndOneByteMoreIsRefused() throws IOException {
    int room = Wire.MAX_CLIENT_FRAME - HELLO_FIXED - 3;
    assertEquals(4352, Wire.MAX_CLIENT_FRAME);
    try (var c = TestClient.connect(server.address())) {
      c.sendRaw(hello(new byte[room]));
      assertInstanceOf(Welcome.class, c.read());
      c.send(new StatRequest("a.txt"));
      assertInstanceOf(StatResult.class, c.read());
    }
    try (var c = TestClient.connect(server.address())) {
      c.sendRaw(hello(new byte[room + 1]));
      ErrorMessage e = c.expectError(ErrorCode.BAD_REQUEST);
      assertTrue(e.closing() && e.message().contains("exceeds maximum 4352"), e.message());
    }
  }

  /** Every chunk but the last carries entries; only an empty listing is one empty chunk. */
  @Test
  void onlyTheLastChunkOfAnEmptyListingIsEmpty() throws IOException {
    Files.createDirectories(server.root().resolve("empty"));
    Files.createDirectories(server.root().resolve("many"));
    for (int i = 0; i < 3000; i++) {
      Files.writeString(server.root().resolve("many").resolve("f" + i), "");
    }
    try (var c = server.open()) {
      c.send(new ListRequest("empty", true));
      var only = assertInstanceOf(ListChunk.class, c.read());
      assertTrue(only.last() && only.entries().isEmpty(), only.toString());
      c.send(new ListRequest("many", false));
      int chunks = 0;
      int entries = 0;
      ListChunk chunk;
      do {
        chunk = assertInstanceOf(ListChunk.class, c.read());
        assertFalse(chunk.entries().isEmpty(), "chunk " + chunks + " is empty");
        chunks++;
        entries += chunk.entries().size();
      } while (!chunk.last());
      assertTrue(chunks > 1, "the listing spans several chunks");
      assertEquals(3000, entries);
    }
  }

  /**
   * A file that shrinks under a GET_HEADER cannot be completed: the server cuts the connection (a
   * reset, so that nothing queued for it goes out), and the client's body never completes.
   */
  @Test
  void aFileThatShrinksDuringAGetCutsTheConnection() throws IOException {
    long size = 256L << 20;
    Path big = TestFiles.sparse(server.root().resolve("big.bin"), size);
    try (var c = server.open()) {
      c.socket().setReceiveBufferSize(4096);
      c.send(GetRequest.whole("big.bin"));
      var header = assertInstanceOf(GetHeader.class, c.read());
      assertEquals(size, header.length());
      try (var ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
        ch.truncate(1 << 20);
      }
      c.assertCut(size);
    }
    server.log().awaitWarning("shrank");
    try (var c = server.open()) {
      c.send(GetRequest.whole("a.txt"));
      assertInstanceOf(GetHeader.class, c.read());
    }
  }

  @Test
  void helloExtensionsOfUnknownTagsAreIgnored() throws IOException {
    try (var c = TestClient.connect(server.address())) {
      c.send(new Hello(Wire.VERSION, 0, Map.of(0x7E, new byte[] {1, 2, 3})));
      assertInstanceOf(Welcome.class, c.read());
    }
  }
}
