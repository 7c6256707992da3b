package lanfetch.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.Welcome;
import lanfetch.testing.TrustingTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle connections must not run a {@code --tls} server out of memory: one that sent nothing holds
 * no TLS session, and one stalled in its handshake no buffers. Measured in a 32 MB heap: before,
 * every accepted connection held about 100 KB of buffers, so the silent ones alone (some 25 MB)
 * left no room for the handshakes, and the server died with OutOfMemoryError; after, the lot costs
 * a few megabytes.
 */
class IdleTlsMemoryTest {
  private static final int SILENT = 256;
  private static final int STALLED_IN_HANDSHAKE = 128;
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  @TempDir Path root;
  @TempDir Path keys;

  @Test
  void idleConnectionsLeaveATlsServerInASmallHeapServing() throws Exception {
    byte[] content = "served after all".getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("a.txt"), content);
    var open = new ArrayList<Socket>();
    try (var server =
        ServerProcess.start(
            List.of("-Xmx32m", "-XX:+UseSerialGC"),
            root,
            "-q",
            "--tls",
            "--tls-key",
            keys.resolve("key.p12").toString(),
            "--max-per-address",
            "1024",
            "--handshake-timeout",
            "2m")) {
      try {
        for (int i = 0; i < SILENT; i++) {
          open.add(connect(server));
        }
        byte[] clientHello = clientHello();
        for (int i = 0; i < STALLED_IN_HANDSHAKE; i++) {
          Socket s = connect(server);
          open.add(s);
          s.getOutputStream().write(clientHello);
        }
        // The server's first flight on each: every ClientHello was taken in, after every silent
        // connection was accepted.
        for (Socket s : open.subList(SILENT, open.size())) {
          assertEquals(0x16, s.getInputStream().read(), "a TLS handshake record");
        }
        assertTrue(server.process.isAlive(), "the server survived them");
        assertArrayEquals(content, download(server, "a.txt"));
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }

  private static Socket connect(ServerProcess server) throws IOException {
    var s = new Socket(server.address.getAddress(), server.address.getPort());
    s.setSoTimeout(READ_TIMEOUT_MILLIS);
    return s;
  }

  /** A TLS 1.3 ClientHello record, as the first bytes of any TLS client. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = TrustingTls.context().createSSLEngine();
    engine.setUseClientMode(true);
    var out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  /** A whole lanfetch session over TLS: HELLO, WELCOME, GET. */
  private static byte[] download(ServerProcess server, String name) throws Exception {
    try (var s =
        (SSLSocket)
            TrustingTls.context()
                .getSocketFactory()
                .createSocket(server.address.getAddress(), server.address.getPort())) {
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      var writer = new FrameWriter(new BufferedOutputStream(s.getOutputStream()));
      var reader = new FrameReader(new BufferedInputStream(s.getInputStream()));
      writer.write(Hello.current());
      writer.write(GetRequest.whole(name));
      writer.flush();
      assertInstanceOf(Welcome.class, reader.read());
      var header = assertInstanceOf(GetHeader.class, reader.read());
      return reader.input().readNBytes(Math.toIntExact(header.length()));
    }
  }
}
