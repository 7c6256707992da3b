package lanfetch.dist;

import java.nio.file.Path;

/** Where the build put the distribution: set by dist/pom.xml for the tests. */
final class DistFiles {
  private DistFiles() {}

  static Path target() {
    return Path.of(property("dist.dir"));
  }

  static String version() {
    return property("dist.version");
  }

  static Path tarGz() {
    return target().resolve("lanfetch-" + version() + ".tar.gz");
  }

  static Path zip() {
    return target().resolve("lanfetch-" + version() + ".zip");
  }

  static Path generated() {
    return target().resolve("generated-dist");
  }

  static Path source() {
    return target().getParent().resolve("src");
  }

  /** The Java these tests run on: a JDK 17+ like the one a user points JAVA_HOME at. */
  static String javaHome() {
    return System.getProperty("java.home");
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          name + " is not set: run the tests through Maven (mvn -pl dist verify)");
    }
    return value;
  }
}
