package lanfetch.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import lanfetch.protocol.Wire;
import lanfetch.server.security.AccessToken;
import lanfetch.server.security.ServerTls;

/**
 * Everything a {@link FileServer} needs to know, fixed before it starts. Build one with {@link
 * #builder(Path)}; every limit has a default a LAN server can run with for weeks.
 */
public final class ServerConfig {
  /** The port lanfetch listens on unless told otherwise. */
  public static final int DEFAULT_PORT = Wire.DEFAULT_PORT;

  public static final int DEFAULT_THREADS = 16;
  public static final int DEFAULT_QUEUE = 128;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
  public static final long DEFAULT_MAX_REQUESTS_PER_CONNECTION = 100_000;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  /** Largest frame sent by default: the protocol's maximum. */
  public static final int DEFAULT_MAX_FRAME_SIZE = Wire.MAX_FRAME_SIZE;

  /**
   * Smallest frame cap accepted: a request naming a 4096-byte path must still fit, and so must a
   * LIST_CHUNK holding one entry with such a name.
   */
  public static final int MIN_FRAME_SIZE = Wire.MAX_CLIENT_FRAME;

  private final Path root;
  private final InetAddress bindAddress;
  private final int port;
  private final int threads;
  private final int queueCapacity;
  private final int maxFrameSize;
  private final Duration handshakeTimeout;
  private final Duration idleTimeout;
  private final Duration requestTimeout;
  private final Duration sendTimeout;
  private final Duration grace;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final long maxRequestsPerConnection;
  private final boolean followSymlinks;
  private final boolean serveHidden;
  private final boolean http;
  private final ServerLog log;
  private final Clock clock;
  private final AccessToken accessToken;
  private final ServerTls tls;

  private ServerConfig(Builder b) {
    root = Objects.requireNonNull(b.root, "root");
    bindAddress = b.bindAddress;
    port = check("port", b.port, 0, 0xFFFF);
    threads = check("threads", b.threads, 1, 4096);
    queueCapacity = check("queue", b.queueCapacity, 1, 1_000_000);
    maxFrameSize = check("max frame size", b.maxFrameSize, MIN_FRAME_SIZE, Wire.MAX_FRAME_SIZE);
    handshakeTimeout = positive("handshake timeout", b.handshakeTimeout);
    idleTimeout = positive("idle timeout", b.idleTimeout);
    requestTimeout = positive("request timeout", b.requestTimeout);
    sendTimeout = positive("send timeout", b.sendTimeout);
    grace = Objects.requireNonNull(b.grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + Durations.format(grace));
    }
    maxConnections = check("max connections", b.maxConnections, 1, 1_000_000);
    maxConnectionsPerAddress =
        check("max connections per address", b.maxConnectionsPerAddress, 1, 1_000_000);
    if (b.maxRequestsPerConnection < 1) {
      throw new IllegalArgumentException(
          "max requests per connection must be positive: " + b.maxRequestsPerConnection);
    }
    maxRequestsPerConnection = b.maxRequestsPerConnection;
    followSymlinks = b.followSymlinks;
    serveHidden = b.serveHidden;
    http = b.http;
    log = Objects.requireNonNull(b.log, "log");
    clock = Objects.requireNonNull(b.clock, "clock");
    accessToken = b.accessToken;
    tls = b.tls;
  }

  /** A builder serving {@code root}, with every other setting at its default. */
  public static Builder builder(Path root) {
    return new Builder(Objects.requireNonNull(root, "root"));
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static int check(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + Durations.format(d));
    }
    return d;
  }

  /** The directory served; any NIO file system. */
  public Path root() {
    return root;
  }

  /** The address to listen on; empty means every interface. */
  public Optional<InetAddress> bindAddress() {
    return Optional.ofNullable(bindAddress);
  }

  /** The port to listen on; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Worker threads: requests handled at the same time. */
  public int threads() {
    return threads;
  }

  /** Requests that may wait for a worker before new ones are answered BUSY. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Largest frame accepted or sent, length prefix excluded. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** Time a new connection has to complete its HELLO. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** Time an open connection may sit between requests. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Time a request frame may take to arrive once its first byte has. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Time a client may leave an answer unread before the connection is cut. */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Time transfers in flight get to finish when the server stops. */
  public Duration grace() {
    return grace;
  }

  /** Open connections in all; past it new ones are answered BUSY. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Open connections from one client address; past it new ones are answered BUSY. */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** Requests one connection may make; the next is answered TOO_MANY_REQUESTS. */
  public long maxRequestsPerConnection() {
    return maxRequestsPerConnection;
  }

  /** Whether symbolic links whose target is inside the root are served. */
  public boolean followSymlinks() {
    return followSymlinks;
  }

  /** Whether names with a segment starting with '.' are listed and served. */
  public boolean serveHidden() {
    return serveHidden;
  }

  /** Where access lines and warnings go. */
  /** Whether HTTP clients are answered on the same port (true unless {@code --no-http}). */
  public boolean http() {
    return http;
  }

  public ServerLog log() {
    return log;
  }

  /** The token every client must present; empty when anyone on the network may fetch. */
  public Optional<AccessToken> accessToken() {
    return Optional.ofNullable(accessToken);
  }

  /** The TLS identity to serve with; empty for plain TCP (the default, with zero-copy). */
  public Optional<ServerTls> tls() {
    return Optional.ofNullable(tls);
  }

  /** The clock that stamps log lines. */
  public Clock clock() {
    return clock;
  }

  /** Collects settings; {@link #build()} validates them. */
  public static final class Builder {
    private final Path root;
    private InetAddress bindAddress;
    private int port = DEFAULT_PORT;
    private int threads = DEFAULT_THREADS;
    private int queueCapacity = DEFAULT_QUEUE;
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
    private Duration grace = DEFAULT_GRACE;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private long maxRequestsPerConnection = DEFAULT_MAX_REQUESTS_PER_CONNECTION;
    private boolean followSymlinks = true;
    private boolean serveHidden;
    private boolean http = true;
    private ServerLog log = ServerLog.discard();
    private Clock clock = Clock.systemUTC();
    private AccessToken accessToken;
    private ServerTls tls;

    private Builder(Path root) {
      this.root = root;
    }

    private Builder(ServerConfig c) {
      root = c.root;
      bindAddress = c.bindAddress;
      port = c.port;
      threads = c.threads;
      queueCapacity = c.queueCapacity;
      maxFrameSize = c.maxFrameSize;
      handshakeTimeout = c.handshakeTimeout;
      idleTimeout = c.idleTimeout;
      requestTimeout = c.requestTimeout;
      sendTimeout = c.sendTimeout;
      grace = c.grace;
      maxConnections = c.maxConnections;
      maxConnectionsPerAddress = c.maxConnectionsPerAddress;
      maxRequestsPerConnection = c.maxRequestsPerConnection;
      followSymlinks = c.followSymlinks;
      serveHidden = c.serveHidden;
      http = c.http;
      log = c.log;
      clock = c.clock;
      accessToken = c.accessToken;
      tls = c.tls;
    }

    /** Listen on this address only; {@code null} (the default) listens on every interface. */
    public Builder bindAddress(InetAddress address) {
      bindAddress = address;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder maxFrameSize(int maxFrameSize) {
      this.maxFrameSize = maxFrameSize;
      return this;
    }

    public Builder handshakeTimeout(Duration timeout) {
      handshakeTimeout = timeout;
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      idleTimeout = timeout;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      requestTimeout = timeout;
      return this;
    }

    public Builder sendTimeout(Duration timeout) {
      sendTimeout = timeout;
      return this;
    }

    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    public Builder maxConnections(int max) {
      maxConnections = max;
      return this;
    }

    public Builder maxConnectionsPerAddress(int max) {
      maxConnectionsPerAddress = max;
      return this;
    }

    public Builder maxRequestsPerConnection(long max) {
      maxRequestsPerConnection = max;
      return this;
    }

    public Builder followSymlinks(boolean follow) {
      followSymlinks = follow;
      return this;
    }

    public Builder serveHidden(boolean serve) {
      serveHidden = serve;
      return this;
    }

    /** Whether HTTP clients are answered on the same port; true by default. */
    public Builder http(boolean answer) {
      http = answer;
      return this;
    }

    public Builder log(ServerLog log) {
      this.log = log;
      return this;
    }

    /** Require this token from every client; {@code null} (the default) requires none. */
    public Builder accessToken(AccessToken token) {
      accessToken = token;
      return this;
    }

    /** Serve TLS 1.3 only, with this identity; {@code null} (the default) serves plain TCP. */
    public Builder tls(ServerTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}
