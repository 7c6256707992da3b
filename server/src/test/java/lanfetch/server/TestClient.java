package lanfetch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.Hello;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;

/** A raw protocol client for tests: typed frames over a plain socket, nothing clever. */
public final class TestClient implements Closeable {
  private final Socket socket;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final OutputStream rawOut;

  private TestClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    InputStream in = new BufferedInputStream(socket.getInputStream());
    rawOut = new BufferedOutputStream(socket.getOutputStream());
    reader = new FrameReader(in);
    writer = new FrameWriter(rawOut);
  }

  public static TestClient connect(InetSocketAddress server) throws IOException {
    return new TestClient(new Socket(server.getAddress(), server.getPort()));
  }

  /** Connects from a given local address (127.0.0.x), so per-address limits see many clients. */
  public static TestClient connectFrom(InetSocketAddress server, InetAddress local)
      throws IOException {
    return new TestClient(new Socket(server.getAddress(), server.getPort(), local, 0));
  }

  /** Connects and completes the handshake. */
  public static TestClient open(FileServer server) throws IOException {
    var c = connect(server.address());
    c.handshake();
    return c;
  }

  /** A client that asked for {@code name} and reads nothing: its transfer stays in flight. */
  public static TestClient stalledDownload(FileServer server, String name) throws IOException {
    var stalled = open(server);
    stalled.socket().setReceiveBufferSize(4096);
    stalled.send(GetRequest.whole(name));
    assertInstanceOf(GetHeader.class, stalled.read());
    return stalled;
  }

  /** The transfer of a {@code length}-byte body was cut: the body never completes. */
  public void assertCut(long length) {
    assertThrows(IOException.class, () -> input().skipNBytes(length));
  }

  /** A HELLO presenting {@code token} (HELLO extension 0x01). */
  public static Hello hello(String token) {
    return new Hello(
        Wire.VERSION, 0, Map.of(Wire.EXT_TOKEN, token.getBytes(StandardCharsets.UTF_8)));
  }

  public Welcome handshake() throws IOException {
    send(Hello.current());
    return assertInstanceOf(Welcome.class, read());
  }

  public void send(Message... messages) throws IOException {
    for (Message m : messages) {
      writer.write(m);
    }
    writer.flush();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    rawOut.write(bytes);
    rawOut.flush();
  }

  public Message read() throws IOException {
    Message m = reader.read();
    if (m == null) {
      throw new EOFException("server closed the connection");
    }
    return m;
  }

  /** The next frame, or null at a clean end of stream. */
  public Message readOrEnd() throws IOException {
    return reader.read();
  }

  public ErrorMessage expectError(ErrorCode code) throws IOException {
    var e = assertInstanceOf(ErrorMessage.class, read());
    assertEquals(code.name(), e.codeName(), e.message());
    return e;
  }

  /** Reads the body that follows a header. */
  public byte[] body(GetHeader header) throws IOException {
    byte[] body = reader.input().readNBytes(Math.toIntExact(header.length()));
    if (body.length < header.length()) {
      throw new EOFException("body ended after " + body.length + " of " + header.length());
    }
    return body;
  }

  public byte[] get(String name) throws IOException {
    send(GetRequest.whole(name));
    return body(assertInstanceOf(GetHeader.class, read()));
  }

  public List<Entry> list(String dir, boolean recursive) throws IOException {
    send(new ListRequest(dir, recursive));
    return readListing();
  }

  public List<Entry> readListing() throws IOException {
    var entries = new ArrayList<Entry>();
    ListChunk chunk;
    do {
      chunk = assertInstanceOf(ListChunk.class, read());
      entries.addAll(chunk.entries());
    } while (!chunk.last());
    return entries;
  }

  public InputStream input() {
    return reader.input();
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
