package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up rules of the cli package-info, checked on what a child JVM really loads: for {@code
 * --version} and for a whole one-file download. Loaded classes are counted against a budget (about
 * 10% above what the path loads today; BENCHMARKS.md has the figures), so that a change which makes
 * every start slower fails here, not in a benchmark a week later.
 */
class StartupRulesTest extends FakeServerTest {
  /** Classes {@code lanfetch --version} may load. */
  private static final int VERSION_BUDGET = 1190;

  /** Classes a one-file {@code lanfetch get} may load, JDK included. */
  private static final int DOWNLOAD_BUDGET = 1440;

  @TempDir Path dir;

  @Test
  void versionStaysWithinItsBudgetAndBreaksNoRule() throws Exception {
    var loaded = run("--version");
    assertTrue(loaded.names().size() <= VERSION_BUDGET, loaded::describe);
    loaded.assertRulesKept();
  }

  @Test
  void aOneFileDownloadStaysWithinItsBudgetAndBreaksNoRule() throws Exception {
    server.put("a.txt", TestFiles.random(4096, 1));
    var loaded = run("get", server.address(), "a.txt", "-o", dir.resolve("out").toString());
    assertEquals(4096, Files.size(dir.resolve("out").resolve("[接收]a.txt")));
    assertTrue(loaded.names().size() <= DOWNLOAD_BUDGET, loaded::describe);
    loaded.assertRulesKept();
    assertTrue(
        !loaded.names().contains("java.util.Formatter"),
        () ->
            "String.format (java.util.Formatter) on the download's path, loaded after "
                + loaded.loadedBefore("java.util.Formatter"));
  }

  /**
   * Indy string concatenation spins method handles at the first use of each shape, on every start:
   * the client and the protocol are compiled with {@code -XDstringConcat=inline}. The JDK loads
   * StringConcatFactory itself, so the class files are searched instead.
   */
  @Test
  void noClassOnTheClientsPathConcatenatesStringsThroughInvokedynamic() throws Exception {
    byte[] bootstrap = "makeConcatWithConstants".getBytes(StandardCharsets.US_ASCII);
    var offenders = new ArrayList<String>();
    for (Class<?> anchor : List.of(ClientMain.class, lanfetch.protocol.Wire.class)) {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/classes while a module builds alone, its jar when the reactor packaged it first
      try (FileSystem jar =
          Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
        Path root = jar == null ? location : jar.getPath("/");
        try (var files = Files.walk(root)) {
          for (Path f :
              (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
            if (contains(Files.readAllBytes(f), bootstrap)) {
              offenders.add(location.getFileName() + ": " + root.relativize(f));
            }
          }
        }
      }
    }
    assertEquals(List.of(), offenders, "compiled with invokedynamic string concatenation");
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private Loaded run(String... args) throws Exception {
    Path log = dir.resolve("classes.log");
    var command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=debug:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                ClientMain.class.getName()));
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.txt").toFile())
            .start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    String output = Files.readString(dir.resolve("output.txt"));
    assertEquals(0, child.exitValue(), output);
    return Loaded.parse(Files.readAllLines(log, StandardCharsets.UTF_8));
  }

  /** The classes a JVM loaded, in order, and the interfaces of each. */
  private record Loaded(List<String> names, Map<String, List<String>> interfaces) {
    private static final Pattern INFO = Pattern.compile("\\[class,load\\] (\\S+) source: (.*)");
    private static final Pattern DEBUG =
        Pattern.compile("klass: (0x\\p{XDigit}+) .*?(?:interfaces: ([0-9a-fx ]+?))? loader:");

    static Loaded parse(List<String> lines) {
      var names = new ArrayList<String>();
      var byAddress = new HashMap<String, String>();
      var interfaceAddresses = new HashMap<String, List<String>>();
      String last = null;
      for (String line : lines) {
        Matcher info = INFO.matcher(line);
        Matcher debug = DEBUG.matcher(line);
        if (info.find()) {
          last = info.group(1);
          names.add(last);
        } else if (last != null && debug.find()) {
          byAddress.put(debug.group(1), last);
          if (debug.group(2) != null) {
            interfaceAddresses.put(last, List.of(debug.group(2).trim().split(" ")));
          }
        }
      }
      var interfaces = new HashMap<String, List<String>>();
      interfaceAddresses.forEach(
          (name, addresses) ->
              interfaces.put(
                  name, addresses.stream().map(a -> byAddress.getOrDefault(a, a)).toList()));
      return new Loaded(names, interfaces);
    }

    /** The rules every start path keeps, whatever the command. */
    void assertRulesKept() {
      // Annotations: reading any annotation makes a java.lang.reflect.Proxy for it.
      assertTrue(
          !names.contains("java.lang.reflect.Proxy"),
          "an annotation was read (a Proxy class loaded): picocli annotations on the start path?");
      assertTrue(
          names.stream().noneMatch(n -> n.startsWith("picocli.AutoComplete")),
          "picocli's annotated completion command was built");
      // A lambda implementing a picocli interface cannot be archived by AppCDS on JDK 17.
      for (String name : names) {
        if (name.startsWith("lanfetch.") && name.contains("$$Lambda")) {
          List<String> implemented = interfaces.getOrDefault(name, List.of());
          assertTrue(
              implemented.stream().noneMatch(i -> i.startsWith("picocli.")),
              name + " implements " + implemented + ": a lambda for a picocli interface");
        }
      }
    }

    /** The classes loaded just before {@code name}: what led to it. */
    String loadedBefore(String name) {
      int i = names.indexOf(name);
      return i < 0 ? "" : names.subList(Math.max(0, i - 15), i).toString();
    }

    String describe() {
      return names.size()
          + " classes loaded; the last ones: "
          + names.subList(Math.max(0, names.size() - 30), names.size());
    }
  }
}
