package lanfetch.client.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import lanfetch.testing.UnprivilegedJvm;

/** The lanfetch client in a JVM that file permissions bind: see {@link UnprivilegedJvm}. */
final class UnprivilegedClient {
  private static final List<Class<?>> CLASS_PATH =
      List.of(
          lanfetch.protocol.Wire.class,
          lanfetch.common.ConfigDirectory.class,
          picocli.CommandLine.class);

  private UnprivilegedClient() {}

  /** Runs {@code lanfetch ARGS} unprivileged, with {@code tmp} as its home, until it exits. */
  static UnprivilegedJvm.Run run(Path tmp, String... args)
      throws IOException, InterruptedException {
    return UnprivilegedJvm.run(
        UnprivilegedJvm.command(
            ClientMain.class, List.of("-Xmx64m", "-Duser.home=" + tmp), CLASS_PATH, List.of(args)));
  }

  /** Lets the unprivileged user reach {@code dir}: see {@link UnprivilegedJvm#share}. */
  static void share(Path dir) throws IOException {
    UnprivilegedJvm.share(dir);
  }
}
