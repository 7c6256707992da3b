package lanfetch.client;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;

/**
 * The client's package boundaries, as each package-info states them. A rule that breaks names the
 * class and the line that crossed the boundary.
 */
@AnalyzeClasses(packages = "lanfetch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** File access, as opposed to a path held as a value. */
  private static final DescribedPredicate<JavaClass> FILE_ACCESS =
      belongToAnyOf(
          Files.class,
          FileChannel.class,
          DirectoryStream.class,
          FileStore.class,
          File.class,
          FileInputStream.class,
          FileOutputStream.class,
          RandomAccessFile.class);

  @ArchTest
  static final ArchRule outputNeverTouchesTheFileSystem =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client.output..")
          .should()
          .dependOnClassesThat(FILE_ACCESS)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client.landing..")
          .because(
              "output shows what it is handed; what exists on disk is decided before it is shown");

  @ArchTest
  static final ArchRule planComputesPathsWithoutFileAccess =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client.plan..")
          .should()
          .dependOnClassesThat(FILE_ACCESS)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client.landing..")
          .because("planning decides paths; landing touches the disk");

  @ArchTest
  static final ArchRule netNeverUsesTheLocalFileSystem =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client.net..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.nio.file..")
          .because("net talks to a server; where bytes land is landing's decision");

  @ArchTest
  static final ArchRule netDoesNotKnowLanding =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client.net..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client.landing..");

  @ArchTest
  static final ArchRule landingDoesNotKnowNet =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client.landing..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client.net..")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("java.net..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.nio.channels.SocketChannel")
          .because("landing is handed numbers and a channel to fill, never a socket");

  @ArchTest
  static final ArchRule onlyTheCommandLineKnowsTheCommandLine =
      noClasses()
          .that()
          .resideInAPackage("lanfetch..")
          .and()
          .resideOutsideOfPackage("lanfetch.client.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client.cli..")
          .because("the command line wires the client together; nothing below it may call back up");

  @ArchTest
  static final ArchRule picocliOnlyInTheCommandLine =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.client..")
          .and()
          .resideOutsideOfPackage("lanfetch.client.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..");

  @ArchTest
  static final ArchRule subPackagesFormNoCycle =
      slices()
          .matching("lanfetch.client.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "each concern builds on the ones below it: cli > transfer > plan, landing, net > trust");

  @ArchTest
  static final ArchRule protocolNeverDependsOnTheClient =
      noClasses()
          .that()
          .resideInAPackage("lanfetch.protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("lanfetch.client..");
}
