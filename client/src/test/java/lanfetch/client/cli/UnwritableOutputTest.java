package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output directory the user may not write to stops the run at once: one line naming the
 * directory and the missing permission, exit 6, and not even a connection to the server. The client
 * runs as an unprivileged user ({@link UnprivilegedClient}): as root, permission bits do not stop
 * writes.
 */
class UnwritableOutputTest {
  @TempDir Path tmp;

  @Test
  void oneLineExitSixAndNothingAttempted() throws Exception {
    UnprivilegedClient.share(tmp);
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (var listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String address = "127.0.0.1:" + listener.getLocalPort();

      var r =
          UnprivilegedClient.run(tmp, "get", address, "a.bin", "-r", "docs", "-o", out.toString());

      assertEquals(6, r.exitCode(), r::toString);
      List<String> lines = r.err().lines().toList();
      assertEquals(1, lines.size(), r::toString);
      assertTrue(lines.get(0).contains(out.toString()), r::toString);
      assertTrue(lines.get(0).contains("no write permission"), r::toString);
      assertEquals("", r.out());
      try (var dir = Files.list(out)) {
        assertEquals(List.of(), dir.toList());
      }
      listener.setSoTimeout(1); // a connection made by the run would wait in the backlog
      assertThrows(
          SocketTimeoutException.class, listener::accept, "the run connected to the server");
    }
  }

  @Test
  void anOutputDirectoryThatCannotBeCreatedIsOneLineToo() throws Exception {
    UnprivilegedClient.share(tmp);
    Path parent = Files.createDirectory(tmp.resolve("parent"));
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path out = parent.resolve("new/deeper");
    try (var listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      var r =
          UnprivilegedClient.run(
              tmp, "get", "127.0.0.1:" + listener.getLocalPort(), "a.bin", "-o", out.toString());

      assertEquals(6, r.exitCode(), r::toString);
      List<String> lines = r.err().lines().toList();
      assertEquals(1, lines.size(), r::toString);
      assertTrue(
          lines.get(0).contains(out.toString())
              && lines.get(0).contains(parent.toString())
              && lines.get(0).contains("no write permission"),
          r::toString);
      try (var dir = Files.list(parent)) {
        assertEquals(List.of(), dir.toList(), "nothing was created");
      }
      listener.setSoTimeout(1);
      assertThrows(
          SocketTimeoutException.class, listener::accept, "the run connected to the server");
    }
  }
}
