package lanfetch.client.net;

import static lanfetch.common.Closeables.closeQuietly;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.RunException;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.trust.Access;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.FrameReader;
import lanfetch.protocol.FrameWriter;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.PeerText;
import lanfetch.protocol.ProtocolException;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Welcome;
import lanfetch.protocol.Wire;

/**
 * One handshaken connection to a server. It hands out typed messages; the raw body after a
 * GET_HEADER is read from {@link #body()}, the same buffered stream the frames come from.
 */
public final class ServerConnection implements Closeable {
  private static final int BUFFER = 64 * 1024;

  private final ServerAddress address;
  private final Access access;
  private final Socket socket;
  private final FrameStream in;
  private final FrameReader reader;
  private final FrameWriter writer;

  /** The capabilities the server's WELCOME offered. */
  private int capabilities;

  private ServerConnection(ServerAddress address, Access access, Socket socket) throws IOException {
    this.address = address;
    this.access = access;
    this.socket = socket;
    this.in = new FrameStream(socket.getInputStream());
    this.reader = new FrameReader(in);
    this.writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
  }

  /**
   * Connects and completes the handshake.
   *
   * @throws RunException with {@link ExitCodes#CANNOT_CONNECT}, {@link ExitCodes#REFUSED} or {@link
   *     ExitCodes#PROTOCOL}
   */
  public static ServerConnection open(ServerAddress address, Duration timeout) throws RunException {
    return open(address, timeout, Access.NONE);
  }

  /**
   * Connects, runs the TLS handshake if {@code access} asks for TLS, and completes the lanfetch
   * handshake, presenting the token if there is one.
   *
   * @throws RunException as {@link #open(ServerAddress, Duration)}, and {@link ExitCodes#HOST_KEY}
   *     when the server's TLS key is not the one expected
   */
  public static ServerConnection open(ServerAddress address, Duration timeout, Access access)
      throws RunException {
    Socket socket = connect(address, timeout);
    try {
      if (access.tls() != null) {
        socket = TlsFailures.handshake(access.tls(), socket, address);
      }
      var connection = new ServerConnection(address, access, socket);
      connection.handshake();
      return connection;
    } catch (IOException e) {
      closeQuietly(socket);
      throw classify(address, e);
    }
  }

  /**
   * Opens a connection, retrying failures that may pass (refused, busy, timed out) with backoff, as
   * many times as the settings allow.
   */
  public static ServerConnection openRetrying(Settings settings)
      throws RunException, InterruptedException {
    for (int failures = 0; ; ) {
      try {
        return open(settings.server(), settings.timeout(), settings.access());
      } catch (RunException e) {
        if (!e.retryable() || ++failures > settings.retries()) {
          throw e;
        }
        settings.pauseBeforeRetry(e.getMessage(), failures);
      }
    }
  }

  /**
   * Loads and initialises what opening a connection needs (the JDK finds its selector provider
   * through a service lookup, reads net.properties, sets up socket options) without connecting
   * anywhere. {@code ClientMain.main} runs it on a second thread while picocli parses the command
   * line: a noticeable share of a one-file download's start is spent here, and the machine has a
   * core to spare at that point.
   */
  public static void prepare() {
    try (SocketChannel unconnected = SocketChannel.open()) {
      unconnected.socket().setTcpNoDelay(true);
    } catch (IOException | RuntimeException e) {
      // Only a head start: opening the real connection reports any problem.
    }
  }

  private static Socket connect(ServerAddress address, Duration timeout) throws RunException {
    Socket socket;
    try {
      socket = SocketChannel.open().socket(); // a channel underneath: see direct()
    } catch (IOException e) {
      throw new RunException(
          ExitCodes.CANNOT_CONNECT,
          "cannot connect to " + address + ": " + Failures.describe(e),
          true,
          e);
    }
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.connect(
          new InetSocketAddress(address.host(), address.port()), (int) timeout.toMillis());
      return socket;
    } catch (UnknownHostException e) {
      closeQuietly(socket);
      throw new RunException(
          ExitCodes.CANNOT_CONNECT, "cannot connect to " + address + ": unknown host", false, e);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new RunException(
          ExitCodes.CANNOT_CONNECT,
          "cannot connect to " + address + ": " + Failures.describe(e),
          true,
          e);
    }
  }

  private void handshake() throws IOException {
    writer.write(access.hello());
    writer.flush();
    Message first = firstAnswer();
    if (first == null) {
      // Not a word, not a byte: a proxy whose server is down, a server restarting. That may
      // pass, unlike a server that answered in another protocol.
      throw new RunException(
          ExitCodes.CANNOT_CONNECT,
          address
              + " closed the connection before"
              + " answering (a proxy whose server is down, or a server restarting?)",
          true,
          null);
    }
    if (first instanceof ErrorMessage e) {
      throw TlsFailures.refusal(address, access, e);
    }
    if (!(first instanceof Welcome w)) {
      throw new ProtocolException("answered HELLO with message type " + hex(first.type()));
    }
    if (w.version() < Wire.MIN_VERSION || w.version() > Wire.VERSION) {
      throw new ProtocolException(
          "chose protocol version " + w.version() + ", which this client does not speak");
    }
    capabilities = w.capabilities();
  }

  /** Whether the server answers HASH_RANGE (its WELCOME offered {@link Wire#CAP_RANGE_HASH}). */
  public boolean hashesRanges() {
    return (capabilities & Wire.CAP_RANGE_HASH) != 0;
  }

  /**
   * The answer to HELLO. A server of another protocol answers with what it speaks: the first bytes
   * of an HTTP answer read as an impossible frame length, and are recognised as such.
   */
  private Message firstAnswer() throws IOException {
    in.mark(HTTP.length);
    try {
      return reader.read();
    } catch (ProtocolException e) {
      if (startsWithHttp()) {
        throw new RunException(
            ExitCodes.PROTOCOL,
            address
                + " is an HTTP server, not lanfetch"
                + " (it answered "
                + PeerText.quote(statusLine())
                + ")",
            false,
            e);
      }
      throw e;
    }
  }

  private static final byte[] HTTP = "HTTP/".getBytes(StandardCharsets.US_ASCII);

  private boolean startsWithHttp() {
    try {
      in.reset();
      in.mark(256);
      return Arrays.equals(in.readNBytes(HTTP.length), HTTP);
    } catch (IOException e) {
      return false;
    }
  }

  /** The rest of the status line after {@code HTTP/}, as far as it has arrived. */
  private String statusLine() {
    var line = new StringBuilder("HTTP/");
    try {
      for (int c;
          line.length() < 80
              && in.available() > 0
              && (c = in.read()) >= 0
              && c != '\r'
              && c != '\n'; ) {
        line.append((char) c);
      }
    } catch (IOException e) {
      // what arrived is enough to say what the server is
    }
    return line.toString();
  }

  private static String hex(byte type) {
    String digits = Integer.toHexString(type & 0xFF).toUpperCase(Locale.ROOT);
    return digits.length() == 1 ? "0x0" + digits : "0x" + digits;
  }

  private static RunException classify(ServerAddress address, IOException e) {
    if (e instanceof RunException r) {
      return r;
    }
    if (e instanceof ProtocolException) {
      return new RunException(
          ExitCodes.PROTOCOL,
          address + " does not speak the lanfetch protocol: " + e.getMessage(),
          false,
          e);
    }
    if (e instanceof SocketTimeoutException) {
      return new RunException(
          ExitCodes.CANNOT_CONNECT, address + " did not answer the handshake in time", true, e);
    }
    return new RunException(
        ExitCodes.CANNOT_CONNECT,
        "lost the connection to " + address + " during the handshake: " + Failures.describe(e),
        true,
        e);
  }

  public ServerAddress address() {
    return address;
  }

  public void send(Message message) throws IOException {
    writer.write(message);
  }

  public void flush() throws IOException {
    writer.flush();
  }

  /** The next message; null on a clean end of stream. */
  public Message read() throws IOException {
    return reader.read();
  }

  /** The next message, where the end of the stream would break the exchange. */
  public Message answer() throws IOException {
    Message m = reader.read();
    if (m == null) {
      throw new EOFException("the server closed the connection before answering");
    }
    return m;
  }

  /**
   * Whether {@code bytes} from the server are buffered, so that reading them will not wait for it.
   */
  public boolean holds(long bytes) {
    return in.buffered() >= bytes;
  }

  /** The stream the raw GET body comes from, right after its GET_HEADER. */
  public InputStream body() {
    return in;
  }

  /**
   * Large bodies straight from the socket's channel, or null over TLS, whose bytes must go through
   * the TLS stream.
   */
  public DirectBody direct() {
    // Not getChannel() != null: a TLS socket layered on a plain one answers with the plain
    // channel, whose bytes are still encrypted.
    SocketChannel channel = access.tls() == null ? socket.getChannel() : null;
    return channel == null ? null : new DirectBody(channel, in::buffered);
  }

  void setReadTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /**
   * After the last answer: the next message, or null once the server closes or stays silent for
   * {@link #END_WAIT} (or {@code timeout}, if shorter). A server closes after the client's
   * half-close (PROTOCOL.md section 6); one that keeps the connection open has sent nothing after
   * the last body, so that body was exact: silence counts as the end.
   */
  public Message readUntilEnd(Duration timeout) throws IOException {
    setReadTimeout(timeout.compareTo(END_WAIT) < 0 ? timeout : END_WAIT);
    try {
      return reader.read();
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** How long the last answer's end is awaited: long enough for a close in flight, no more. */
  static final Duration END_WAIT = Duration.ofSeconds(5);

  /** Tells the server no more requests come; it then closes after its last answer. */
  /** After a failed send: nothing more goes out, and what the server sent stays readable. */
  public void stopSending() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // Already broken both ways: the reader will find out.
    }
  }

  public void finishRequests() throws IOException {
    writer.flush();
    socket.shutdownOutput();
  }

  /**
   * Lists a directory, following LIST_CHUNKs to the last one. Names are returned as the server sent
   * them: callers check them before use.
   */
  public List<Entry> list(String directory, boolean recursive) throws IOException {
    return list(directory, recursive, ListingLimit.DEFAULT);
  }

  /** As {@link #list(String, boolean)}, holding at most what {@code limit} allows. */
  public List<Entry> list(String directory, boolean recursive, ListingLimit limit)
      throws IOException {
    send(new ListRequest(directory, recursive));
    flush();
    var entries = new ArrayList<Entry>();
    var counter = limit.counter(directory);
    while (true) {
      Message m = answer();
      if (m instanceof ListChunk c) {
        counter.add(c);
        entries.addAll(c.entries());
        if (c.last()) {
          return entries;
        }
      } else if (m instanceof ErrorMessage e) {
        throw e.closing() ? ServerError.forSession(address.toString(), e) : ServerError.forFile(e);
      } else {
        throw new ProtocolException("answered LIST with message type " + hex(m.type()));
      }
    }
  }

  /**
   * STATs names, pipelined in small batches so the unanswered requests always fit in the socket
   * buffers (PROTOCOL.md section 6) without a reader thread.
   *
   * @return per name, a StatResult or a non-closing ErrorMessage
   */
  public List<Message> stat(List<String> names) throws IOException {
    var answers = new ArrayList<Message>(names.size());
    for (int from = 0; from < names.size(); from += 64) {
      List<String> batch = names.subList(from, Math.min(names.size(), from + 64));
      for (String name : batch) {
        send(new StatRequest(name));
      }
      flush();
      for (int i = 0; i < batch.size(); i++) {
        Message m = answer();
        if (m instanceof ErrorMessage e && e.closing()) {
          throw ServerError.forSession(address.toString(), e);
        }
        if (!(m instanceof StatResult) && !(m instanceof ErrorMessage)) {
          throw new ProtocolException("answered STAT with message type " + hex(m.type()));
        }
        answers.add(m);
      }
    }
    return answers;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  /** The frame stream, which can say how many bytes it holds that the socket no longer does. */
  private static final class FrameStream extends BufferedInputStream {
    FrameStream(InputStream in) {
      super(in, BUFFER);
    }

    int buffered() {
      return count - pos;
    }
  }
}
