package lanfetch.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FileServer} per test on loopback port 0, serving a fresh temporary root and logging to a
 * {@link RecordingLog}; stopped after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ServerExtension server = ServerExtension.create(b -> b.idleTimeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>The server starts on first use of {@link #get()}, {@link #address()} or {@link #hostPort()},
 * so a test can fill {@link #root()} first (a server serves files that appear later too) or {@link
 * #start} it with settings of its own.
 */
public final class ServerExtension implements BeforeEachCallback, AfterEachCallback {
  private final UnaryOperator<ServerConfig.Builder> customizer;
  private Path base;
  private Path root;
  private RecordingLog log;
  private FileServer server; // guarded by this: client threads may start it

  private ServerExtension(UnaryOperator<ServerConfig.Builder> customizer) {
    this.customizer = Objects.requireNonNull(customizer);
  }

  public static ServerExtension create() {
    return new ServerExtension(b -> b);
  }

  /** {@code customizer} sees a builder for the root, loopback port 0 and the recording log. */
  public static ServerExtension create(UnaryOperator<ServerConfig.Builder> customizer) {
    return new ServerExtension(customizer);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    base = Files.createTempDirectory("lanfetch-test-");
    root = Files.createDirectory(base.resolve("root"));
    log = new RecordingLog();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    stop();
    deleteTree(base);
  }

  /** The served directory, empty at the start of each test. */
  public Path root() {
    return root;
  }

  /** A directory beside the root, for files a test keeps out of the server's reach. */
  public Path outside() {
    return base;
  }

  public RecordingLog log() {
    return log;
  }

  /**
   * The running server, started with the class's settings if it is not running yet (once, even when
   * client threads ask at the same time). Unchecked, so that conditions polled in lambdas can ask
   * it.
   */
  public synchronized FileServer get() {
    if (server == null) {
      try {
        start(b -> b);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the server on " + root, e);
      }
    }
    return server;
  }

  public InetSocketAddress address() {
    return get().address();
  }

  /** {@code 127.0.0.1:port}, as a client's command line names the server. */
  public String hostPort() {
    return "127.0.0.1:" + address().getPort();
  }

  /**
   * Starts the server with the class's settings and then {@code more}; stops a running one first.
   */
  public synchronized FileServer start(UnaryOperator<ServerConfig.Builder> more)
      throws IOException {
    stop();
    server = Servers.start(root, b -> more.apply(customizer.apply(b.log(log))));
    return server;
  }

  /** A raw protocol client, past the handshake. */
  public TestClient open() throws IOException {
    return TestClient.open(get());
  }

  /** Stops the server, waiting for its grace period; the next {@link #get()} starts it again. */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Deletes what a test left, making directories a test locked writable again first. */
  private static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
