package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
      assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(mib),
          assertInstanceOf(HashResult.class, c.read()).sha256());
      assertEquals(List.of("in", "mib", "one", "zero"),
          c.list("", false).stream().map(Entry::name).toList());
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
