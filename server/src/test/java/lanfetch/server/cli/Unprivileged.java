package lanfetch.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import lanfetch.testing.UnprivilegedJvm;

/** lanfetch-server in a JVM that file permissions bind: see {@link UnprivilegedJvm}. */
public final class Unprivileged {
  private static final List<Class<?>> CLASS_PATH =
      List.of(
          lanfetch.protocol.Wire.class,
          lanfetch.common.ConfigDirectory.class,
          picocli.CommandLine.class,
          // Netty, for HTTP on the same port: one class of each of the server's Netty jars.
          io.netty.handler.codec.http.HttpServerCodec.class,
          io.netty.handler.codec.ByteToMessageDecoder.class,
          io.netty.handler.codec.compression.ZlibCodecFactory.class,
          io.netty.handler.stream.ChunkedWriteHandler.class,
          io.netty.channel.embedded.EmbeddedChannel.class,
          io.netty.channel.unix.Socket.class,
          io.netty.resolver.AddressResolverGroup.class,
          io.netty.buffer.ByteBuf.class,
          io.netty.util.ReferenceCountUtil.class);

  private Unprivileged() {}

  /** How a server run ended: its exit code and everything it printed. */
  public record Run(int exitCode, String out, String err) {}

  /** Whether this JVM runs as root, so that it, unlike the child, reads whatever it likes. */
  public static boolean suiteIsRoot() {
    return UnprivilegedJvm.suiteIsRoot();
  }

  /** The command that runs lanfetch-server with {@code args} in an unprivileged JVM. */
  public static List<String> serverCommand(List<String> args) {
    return UnprivilegedJvm.command(
        ServerMain.class, List.of("-XX:+UseSerialGC", "-Xmx64m"), CLASS_PATH, args);
  }

  /**
   * Runs lanfetch-server with {@code args} unprivileged until it exits (it must, within a minute).
   */
  public static Run run(String... args) throws IOException, InterruptedException {
    var run = UnprivilegedJvm.run(serverCommand(List.of(args)));
    return new Run(run.exitCode(), run.out(), run.err());
  }

  /** Lets the unprivileged user reach {@code dir}: see {@link UnprivilegedJvm#share}. */
  public static void share(Path dir) throws IOException {
    UnprivilegedJvm.share(dir);
  }
}
