package lanfetch.dist;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import picocli.CommandLine;

/**
 * The two commands' picocli models, exactly as their {@code main} methods build them.
 *
 * <p>Both commands build their command line in a package-private factory ({@code
 * ClientMain.commandLine}, {@code ServerMain.commandLine}) that their tests share: the client's
 * model is built through picocli's programmatic API, the server's from annotations plus an exit
 * code list added by the factory. They are reached here by reflection rather than by widening those
 * classes' API from this branch while the client and server CLIs are being reworked on others; if a
 * factory's signature changes, the build fails here, loudly, and {@code DocsTest} says which option
 * went missing.
 */
final class CommandModels {
  private CommandModels() {}

  /** {@code lanfetch} with every subcommand. */
  static CommandLine client() {
    Method factory =
        method(
            "lanfetch.client.cli.ClientMain",
            "commandLine",
            InputStream.class,
            OutputStream.class,
            String[].class);
    return invoke(
        factory, null, InputStream.nullInputStream(), new ByteArrayOutputStream(), new String[0]);
  }

  /** {@code lanfetch-server} with its {@code generate-completion} subcommand. */
  static CommandLine server() {
    try {
      Class<?> main = Class.forName("lanfetch.server.cli.ServerMain");
      Object command = main.getConstructor().newInstance();
      return invoke(method(main.getName(), "commandLine", main), null, command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build lanfetch-server's command line: " + e, e);
    }
  }

  private static Method method(String className, String name, Class<?>... parameters) {
    try {
      Method m = Class.forName(className).getDeclaredMethod(name, parameters);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot find " + className + "." + name + " to read the command's model: " + e, e);
    }
  }

  private static CommandLine invoke(Method factory, Object target, Object... args) {
    try {
      return (CommandLine) factory.invoke(target, args);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot build the command line with " + factory + ": " + e, e);
    }
  }
}
