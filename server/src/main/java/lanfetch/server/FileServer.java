package lanfetch.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lanfetch.common.Closeables;
import lanfetch.server.StartupException.Reason;
import lanfetch.server.files.RequestHandler;
import lanfetch.server.net.EventLoop;

/**
 * A running lanfetch server: one event-loop thread owning every connection, and a bounded pool of
 * workers answering requests.
 *
 * <pre>{@code
 * try (FileServer server = FileServer.start(ServerConfig.builder(dir)
 *     .bindAddress(InetAddress.getLoopbackAddress()).port(0).build())) {
 *   int port = server.address().getPort();
 *   ...
 * }
 * }</pre>
 */
public final class FileServer implements AutoCloseable {
  private final ServerConfig config;
  private final Path realRoot;
  private final InetSocketAddress address;
  private final EventLoop loop;
  private final ThreadPoolExecutor pool;
  private final ThreadPoolExecutor hashPool;
  private final Thread loopThread;
  private final RequestHandler handler;
  private final Object closeLock = new Object();
  private boolean closed;

  private FileServer(ServerConfig config, Path realRoot, ServerSocketChannel channel)
      throws IOException {
    this.config = config;
    this.realRoot = realRoot;
    this.address = (InetSocketAddress) channel.getLocalAddress();
    this.pool =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queueCapacity()),
            threads("lanfetch-worker-"),
            new ThreadPoolExecutor.AbortPolicy());
    pool.prestartAllCoreThreads();
    int hashThreads = hashThreads(config.threads());
    this.hashPool =
        new ThreadPoolExecutor(
            hashThreads,
            hashThreads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queueCapacity()),
            threads("lanfetch-hash-"),
            new ThreadPoolExecutor.AbortPolicy());
    this.handler =
        RequestHandler.create(
            realRoot, config.followSymlinks(), config.serveHidden(), config.maxFrameSize());
    this.loop = new EventLoop(config, channel, pool, hashPool, handler, ServerVersion.software());
    this.loopThread = threads("lanfetch-loop-").newThread(loop);
  }

  /**
   * Checks the root, binds, and starts serving.
   *
   * @throws StartupException with a one-line message: root missing, not a directory or unreadable;
   *     address in use or not available
   */
  public static FileServer start(ServerConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    Path realRoot = checkRoot(config.root());
    ServerSocketChannel channel = bind(config);
    try {
      var server = new FileServer(config, realRoot, channel);
      server.loopThread.start();
      return server;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Path checkRoot(Path root) throws StartupException {
    if (!Files.exists(root)) {
      throw new StartupException(Reason.ROOT_MISSING, "directory does not exist: " + root, null);
    }
    if (!Files.isDirectory(root)) {
      throw new StartupException(Reason.ROOT_NOT_DIRECTORY, "not a directory: " + root, null);
    }
    try (DirectoryStream<Path> probe = Files.newDirectoryStream(root)) {
      probe.iterator().hasNext();
      return root.toRealPath();
    } catch (IOException | RuntimeException e) {
      throw new StartupException(
          Reason.ROOT_UNREADABLE,
          "cannot read directory "
              + root
              + ": "
              + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()),
          e);
    }
  }

  private static ServerSocketChannel bind(ServerConfig config) throws StartupException {
    InetAddress host = config.bindAddress().orElse(null);
    var where =
        host == null
            ? new InetSocketAddress(config.port())
            : new InetSocketAddress(host, config.port());
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(where, 1024);
      return channel;
    } catch (IOException e) {
      Closeables.closeQuietly(channel); // the bind error is the one to report
      String target = (host == null ? "*" : host.getHostAddress()) + ":" + config.port();
      if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
        throw new StartupException(
            Reason.ADDRESS_IN_USE, "cannot listen on " + target + ": address already in use", e);
      }
      throw new StartupException(
          Reason.CANNOT_LISTEN, "cannot listen on " + target + ": " + e.getMessage(), e);
    }
  }

  private static ThreadFactory threads(String prefix) {
    var n = new AtomicInteger();
    return r -> {
      var t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Threads that answer HASH requests: half the workers, so hashing never takes them all. */
  static int hashThreads(int threads) {
    return Math.max(1, threads / 2);
  }

  /** The address and port actually bound (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return address;
  }

  /** The served directory's real path. */
  public Path root() {
    return realRoot;
  }

  public ServerConfig config() {
    return config;
  }

  /** Connections open now, counted against the limits. */
  public int openConnections() {
    return loop.openConnections();
  }

  /**
   * Why the server stopped on its own, if it did: the event loop failed (out of memory, a bug),
   * every connection was closed, and {@link #awaitStopped} returned.
   */
  public Optional<Throwable> failure() {
    return loop.failure();
  }

  /** Runs {@code task} on the event-loop thread; tests use it to simulate a loop failure. */
  void onLoopThread(Runnable task) {
    loop.execute(task);
  }

  /** Requests waiting for a worker or a hashing thread. */
  int queuedRequests() {
    return pool.getQueue().size() + hashPool.getQueue().size();
  }

  /**
   * Stops gracefully: no new connections; idle ones get SHUTTING_DOWN; answers in flight may finish
   * for up to the grace period, after which everything is closed. Returns once the server is fully
   * stopped. Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loop.stop(config.grace());
    awaitStopped();
  }

  /** Stops at once, cutting answers in flight. Safe to call during {@link #close()}. */
  public void stopNow() {
    synchronized (closeLock) {
      closed = true;
    }
    loop.stopNow();
    awaitStopped();
  }

  /** Blocks until the server has stopped (through close or stopNow from another thread). */
  public void awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        loop.awaitFinished(Duration.ofDays(365));
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    pool.shutdownNow();
    hashPool.shutdownNow();
    try {
      pool.awaitTermination(config.sendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      hashPool.awaitTermination(config.sendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    Closeables.closeQuietly(handler); // only directory handles
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
