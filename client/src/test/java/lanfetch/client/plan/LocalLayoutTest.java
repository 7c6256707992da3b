package lanfetch.client.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import lanfetch.client.FileFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where server names land, and the names that must not land anywhere. */
class LocalLayoutTest {
  private final FileSystem unix = Jimfs.newFileSystem(Configuration.unix());
  private final FileSystem windows = Jimfs.newFileSystem(Configuration.windows());

  @AfterEach
  void close() throws IOException {
    unix.close();
    windows.close();
  }

  @Test
  void aFileLandsFlatUnderItsPrefixedLastSegment() throws FileFailure {
    var layout = new LocalLayout(unix.getPath("/out"), "[接收]");
    assertEquals(unix.getPath("/out/[接收]b.txt"), layout.forFile("a/b.txt"));
    assertEquals(
        unix.getPath("/out/b.txt"), new LocalLayout(unix.getPath("/out"), "").forFile("a/b.txt"));
  }

  @Test
  void aTreeEntryKeepsItsPathBelowThePrefixedRoot() throws FileFailure {
    var layout = new LocalLayout(unix.getPath("/out"), "[接收]");
    assertEquals(unix.getPath("/out/[接收]logs"), layout.forTreeRoot("var/logs"));
    assertEquals(
        unix.getPath("/out/[接收]logs/2026/a.gz"), layout.forTreeEntry("var/logs", "2026/a.gz"));
  }

  @Test
  void aPrefixThatPushesANamePastTheLimitFailsAndSaysTheWayOut() throws FileFailure {
    String longest = "x".repeat(255);
    var f =
        assertThrows(
            FileFailure.class,
            () -> new LocalLayout(unix.getPath("/out"), "[接收]").forFile(longest));
    assertEquals("NAME_TOO_LONG", f.codeName());
    assertEquals(true, f.getMessage().contains("--prefix ''"), f.getMessage());
    assertEquals(
        unix.getPath("/out/" + longest),
        new LocalLayout(unix.getPath("/out"), "").forFile(longest));
  }

  @Test
  void namesThatWouldClimbOutOrThatWindowsRefusesAreUnsafe() {
    var onUnix = new LocalLayout(unix.getPath("/out"), "");
    assertEquals(
        "UNSAFE_NAME",
        assertThrows(FileFailure.class, () -> onUnix.forFile("a/../../b")).codeName());
    var onWindows = new LocalLayout(windows.getPath("C:\\out"), "");
    assertEquals(
        "UNSAFE_NAME",
        assertThrows(FileFailure.class, () -> onWindows.forFile("a|b.txt")).codeName());
    assertEquals(
        "UNSAFE_NAME",
        assertThrows(FileFailure.class, () -> onWindows.forTreeEntry("logs", "a/b:c")).codeName());
  }

  @Test
  void pathsThatDifferOnlyInCaseClashWhereTheFileSystemFoldsCase() {
    assertEquals(
        LocalLayout.clashKey(windows.getPath("C:\\out\\A.txt")),
        LocalLayout.clashKey(windows.getPath("C:\\out\\a.txt")));
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("mac")) {
      assertNotEquals(
          LocalLayout.clashKey(unix.getPath("/out/A.txt")),
          LocalLayout.clashKey(unix.getPath("/out/a.txt")));
    }
  }
}
