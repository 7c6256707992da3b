package lanfetch.server.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a raw socket, for what java.net.http will not send or show: pipelining,
 * malformed and hostile requests, whether a body follows a HEAD, whether the server closed.
 */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  private final InputStream in;

  /** A response as read off the wire; header names in lower case. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  RawHttp(InetSocketAddress server) throws IOException {
    this(server, null);
  }

  /** Connects from {@code local} (127.0.0.2 and up, for the per-address limit), or any. */
  RawHttp(InetSocketAddress server, InetSocketAddress local) throws IOException {
    socket = new Socket();
    socket.setSoTimeout(20_000);
    if (local != null) {
      socket.bind(local);
    }
    socket.connect(server, 10_000);
    in = socket.getInputStream();
  }

  RawHttp send(String request) throws IOException {
    return send(request.getBytes(StandardCharsets.UTF_8));
  }

  RawHttp send(byte[] request) throws IOException {
    socket.getOutputStream().write(request);
    socket.getOutputStream().flush();
    return this;
  }

  /** "GET target HTTP/1.1" with a Host header and the extra header lines given. */
  static String get(String method, String target, String... headers) {
    var b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: test\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  Response exchange(String request) throws IOException {
    send(request);
    return read(request.startsWith("HEAD "));
  }

  /** Reads one response; {@code head} says it answers a HEAD, so it has no body. */
  Response read(boolean head) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new EOFException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    if (!parts[0].equals("HTTP/1.1")) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    var headers = new LinkedHashMap<String, List<String>>();
    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers
          .computeIfAbsent(l.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).strip());
    }
    byte[] body = new byte[0];
    boolean bodiless = head || status == 304 || status == 204 || status / 100 == 1;
    if (!bodiless && headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
    } else if (!bodiless && headers.containsKey("transfer-encoding")) {
      body = chunked();
    }
    return new Response(status, headers, body);
  }

  /** A chunked body, to its last chunk; EOFException if the stream ends before. */
  private byte[] chunked() throws IOException {
    var body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      if (size == null) {
        throw new EOFException("connection closed inside a chunked body");
      }
      int n = Integer.parseInt(size.strip(), 16);
      if (n == 0) {
        line();
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) {
        throw new EOFException("connection closed inside a chunk");
      }
      body.writeBytes(chunk);
      line();
    }
  }

  /** Whether the server closed its side: end of stream with no byte before it. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // a reset
    }
  }

  /** Whether nothing arrives within {@code millis}, the connection still open. */
  boolean silentFor(int millis) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return in.read() < -1;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(before);
    }
  }

  /** Reads the status line of a response, leaving its headers and body unread. */
  String statusLine() throws IOException {
    String l = line();
    if (l == null) {
      throw new EOFException("connection closed before a response");
    }
    return l;
  }

  private String line() throws IOException {
    var b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
