package lanfetch.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules between the server's packages, as their package-info files state them. Main
 * classes only: tests may reach across packages to set things up.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("lanfetch.server", "lanfetch.protocol");
  }

  @Test
  void filesNeverSeesTheTransport() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.server.files..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("lanfetch.server.net..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.nio.channels.SocketChannel.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.nio.channels.Selector.class)
        .because("server.files decides what is served and never sees a socket")
        .check(classes);
  }

  @Test
  void httpNeverSeesTheTransportNorTheFileSystem() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.server.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("lanfetch.server.net..", "lanfetch.server.cli..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.nio.channels.SocketChannel.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.nio.channels.Selector.class)
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(java.nio.file.Files.class)
        .because(
            "server.http maps HTTP requests to what server.files finds, and writes to an"
                + " HttpSink: sockets are server.net's, names server.files'")
        .check(classes);
  }

  @Test
  void onlyServerHttpSeesTheHttpLibrary() {
    noClasses()
        .that()
        .resideOutsideOfPackages("lanfetch.server.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .because("Netty is the HTTP parser; it stays behind server.http's own types")
        .check(classes);
  }

  @Test
  void netNeverResolvesNames() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.server.net..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(java.nio.file.Files.class)
        .because("server.net owns sockets, not names: files are server.files' business")
        .check(classes);
  }

  @Test
  void securityAndFilesDoNotDependOnTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("lanfetch.server.security..", "lanfetch.server.files..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("lanfetch.server.cli..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineDependsOnTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("lanfetch.server.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("lanfetch.server.cli..")
        .because("the command line is the outermost layer: nothing is built on it")
        .check(classes);
  }

  @Test
  void securityKnowsNothingOfTransportOrRequests() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.server.security..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("lanfetch.server.net..", "lanfetch.server.files..")
        .check(classes);
  }

  @Test
  void numbersAreFormattedInOneLocale() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.server..")
        .should()
        .callMethod(String.class, "format", String.class, Object[].class)
        .orShould()
        .callMethod(String.class, "formatted", Object[].class)
        .because("log lines and messages must read the same on every machine: pass Locale.ROOT")
        .check(classes);
  }

  @Test
  void noServerPackageGrowsPastFifteenClasses() {
    var perPackage =
        classes.stream()
            .filter(
                c ->
                    c.getPackageName().startsWith("lanfetch.server")
                        && c.isTopLevelClass()
                        && !c.getSimpleName().equals("package-info"))
            .collect(Collectors.groupingBy(JavaClass::getPackageName, Collectors.counting()));
    assertEquals(6, perPackage.size(), perPackage.toString());
    perPackage.forEach((pkg, n) -> assertTrue(n <= 15, pkg + " has " + n + " classes: split it"));
  }

  @Test
  void protocolNeverDependsOnTheServer() {
    noClasses()
        .that()
        .resideInAPackage("lanfetch.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("lanfetch.server..")
        .because("the protocol module knows bytes and nothing else")
        .check(classes);
  }
}
