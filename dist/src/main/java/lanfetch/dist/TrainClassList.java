package lanfetch.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the class list the client's class-data archive is dumped from: the union of the classes
 * loaded by several real runs against two servers on loopback (plain and TLS), one per main path of
 * the client (version, one file to stdout and to a directory, a tree over several connections, a
 * glob with {@code --json}, a mirror update, list, a TLS download). An archive trained on one run
 * leaves every other path loading its classes from the jar, verified one by one: a TLS run loaded
 * about 1,000 JDK classes outside the archive (BENCHMARKS.md, "Client start-up").
 *
 * <pre>TrainClassList JAVA CLIENT_JAR SERVER_JAR OUTPUT_FILE</pre>
 *
 * <p>JAVA is the runtime that will use the archive (a JDK 17 archive is dumped by, and only valid
 * for, the same JVM). The list is written under a temporary name and renamed into place.
 */
public final class TrainClassList {
  /** The launcher's client options (bin/launch, launch.sh): the archive must match them. */
  static final List<String> CLIENT_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m", "-XX:-UsePerfData");

  private static final Pattern LISTENING =
      Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) (?:.* tls=(SHA256:\\S+))?");
  private static final long TIMEOUT_SECONDS = 60;

  private final String java;
  private final Path clientJar;
  private final Path serverJar;
  private final Path work;

  private TrainClassList(String java, Path clientJar, Path serverJar, Path work) {
    this.java = java;
    this.clientJar = clientJar;
    this.serverJar = serverJar;
    this.work = work;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: TrainClassList JAVA CLIENT_JAR SERVER_JAR OUTPUT_FILE");
    }
    Path out = Path.of(args[3]).toAbsolutePath();
    Path work = Files.createTempDirectory(out.getParent(), "train");
    try {
      List<String> list =
          new TrainClassList(
                  args[0],
                  Path.of(args[1]).toAbsolutePath(),
                  Path.of(args[2]).toAbsolutePath(),
                  work)
              .train();
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      Files.write(tmp, list, StandardCharsets.UTF_8);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("lanfetch-dist: trained " + out + " (" + list.size() + " lines)");
    } finally {
      deleteTree(work);
    }
  }

  /** Runs every training command and returns the union of their class lists. */
  List<String> train() throws IOException, InterruptedException {
    Path served = Files.createDirectories(work.resolve("served/docs/sub"));
    for (int i = 0; i < 12; i++) {
      Path dir = i % 3 == 0 ? served : served.getParent();
      Files.writeString(dir.resolve("报告-" + i + ".txt"), "training file " + i + "\n");
    }
    Path out = Files.createDirectories(work.resolve("out"));
    Process plain = null;
    Process tls = null;
    try {
      plain = server("plain");
      tls = server("tls", "--tls", "--tls-key=" + work.resolve("tls-key.p12"));
      Matcher plainLine = listening(plain, "plain");
      Matcher tlsLine = listening(tls, "tls");
      String host = "127.0.0.1:" + plainLine.group(1);
      String tlsHost = "127.0.0.1:" + tlsLine.group(1);
      String fingerprint = tlsLine.group(2);
      if (fingerprint == null) {
        throw new IOException("the TLS training server showed no fingerprint");
      }
      List<List<String>> runs =
          List.of(
              List.of("--version"),
              List.of("get", host, "docs/报告-1.txt", "-o", "-"),
              List.of("get", host, "docs/报告-2.txt", "-o", out.resolve("one").toString()),
              List.of(
                  "get", host, "-r", "docs", "-j", "4", "-q", "-o", out.resolve("tree").toString()),
              List.of("get", host, "-r", "docs", "--update", "-o", out.resolve("tree").toString()),
              List.of("get", host, "docs/*.txt", "--json", "-o", out.resolve("json").toString()),
              List.of("list", host, "docs", "-r"),
              List.of("list", host, "--json"),
              List.of(
                  "get",
                  tlsHost,
                  "docs/报告-4.txt",
                  "--fingerprint",
                  fingerprint,
                  "-o",
                  out.resolve("tls").toString()));
      var union = new LinkedHashSet<String>();
      int n = 0;
      for (List<String> run : runs) {
        union.addAll(record(run, work.resolve("run-" + n++ + ".classlist")));
      }
      return new ArrayList<>(union);
    } finally {
      stop(plain);
      stop(tls);
    }
  }

  private Process server(String name, String... options) throws IOException {
    var command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-jar", serverJar.toString()));
    command.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "-q"));
    command.addAll(List.of(options));
    command.add(work.resolve("served").toString());
    return start(command, work.resolve(name + ".log"));
  }

  /** The server's startup line, once it is listening. */
  private Matcher listening(Process server, String name) throws IOException, InterruptedException {
    Path log = work.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!server.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new IOException(
        "the " + name + " training server did not start: " + Files.readString(log));
  }

  /** One client run with its class list recorded; the list's class and lambda lines. */
  private List<String> record(List<String> args, Path list)
      throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(java));
    command.addAll(CLIENT_OPTIONS);
    command.add("-XX:DumpLoadedClassList=" + list);
    command.addAll(List.of("-jar", clientJar.toString()));
    command.addAll(args);
    Path log = work.resolve(list.getFileName() + ".log");
    Process client = start(command, log);
    if (!client.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      client.destroyForcibly();
      throw new IOException("training run " + args + " did not end: " + Files.readString(log));
    }
    if (client.exitValue() != 0) {
      throw new IOException(
          "training run "
              + args
              + " failed with exit code "
              + client.exitValue()
              + ": "
              + Files.readString(log));
    }
    var lines = new ArrayList<String>();
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        lines.add(line);
      }
    }
    return lines;
  }

  private Process start(List<String> command, Path log) throws IOException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
    // Java names files in the locale's charset: the training names are Chinese.
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.directory(work.toFile());
    return builder.start();
  }

  private static java.io.File devNull() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void stop(Process server) throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      List<Path> paths = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Set<String> classes(List<String> list) {
    var names = new LinkedHashSet<String>();
    for (String line : list) {
      if (!line.startsWith("@")) {
        names.add(line.split(" ", 2)[0]);
      }
    }
    return names;
  }
}
