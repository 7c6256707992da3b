package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import lanfetch.client.ExitCodes;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 item 7: a server that breaks the protocol inside its answer to a GET makes the run exit
 * 5, as README's table says for a server that broke the protocol, not 1.
 */
class ProtocolBreakExitTest {
  @TempDir Path dir;
  private ServerSocket socket;
  private volatile byte[] answer;

  @BeforeEach
  void start() throws IOException {
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    var t = new Thread(this::acceptLoop, "broken-server");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    socket.close();
  }

  private String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Completes the handshake honestly, then answers the first request with {@link #answer}. */
  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        var in = new BufferedInputStream(s.getInputStream());
        OutputStream out = new BufferedOutputStream(s.getOutputStream());
        var reader = new FrameReader(in);
        var writer = new FrameWriter(out);
        reader.read(); // HELLO
        writer.write(new Welcome(Wire.VERSION, 0, "broken/1"));
        writer.flush();
        reader.read(); // the GET
        out.write(answer);
        out.flush();
        in.transferTo(OutputStream.nullOutputStream()); // until the client leaves
      } catch (IOException e) {
        // the client went away: next
      }
    }
  }

  @ParameterizedTest(name = "answer {0}")
  @ValueSource(strings = {"00000000", "ffffffff", "00010001", "000000017f"})
  void aBrokenAnswerToAGetExitsFive(String hex) throws Exception {
    answer = HexFormat.of().parseHex(hex);
    var r = Cli.run("get", address(), "a.txt", "-o", dir.toString(), "--retries", "0", "--json");
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertEquals("PROTOCOL", r.events("failed").get(0).get("error"), r::toString);
    assertEquals(
        ExitCodes.PROTOCOL, ((Number) r.events("summary").get(0).get("exit_code")).intValue());
    assertFalse(Files.exists(dir.resolve("[接收]a.txt")));
    var toStdout = Cli.run("get", address(), "a.txt", "-o", "-", "--retries", "0");
    assertEquals(ExitCodes.PROTOCOL, toStdout.exit(), toStdout::toString);
    assertEquals(0, toStdout.raw().length);
  }
}
