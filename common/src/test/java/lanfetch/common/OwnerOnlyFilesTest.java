package lanfetch.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnerOnlyFilesTest {
  private final FileSystem fs =
      Jimfs.newFileSystem(
          Configuration.unix().toBuilder().setAttributeViews("basic", "owner", "posix").build());

  @AfterEach
  void close() throws Exception {
    fs.close();
  }

  @Test
  void aFileOthersCanReadIsRefusedWithTheCommandThatFixesIt() throws Exception {
    Path token = Files.writeString(fs.getPath("/token"), "secret");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    var e =
        assertThrows(
            OwnerOnlyFiles.NotPrivateException.class,
            () -> OwnerOnlyFiles.checkPrivate(token, "token file"));
    assertEquals(
        "token file /token is accessible by others (rw-r--r--); run: chmod 600 /token",
        e.getMessage());
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    OwnerOnlyFiles.checkPrivate(token, "token file");
  }

  @Test
  void anAtomicWriteCreatesOwnerOnlyDirectoriesAndFileAndLeavesNoTemporary() throws Exception {
    Path file = fs.getPath("/home/u/.config/lanfetch/known_hosts");
    OwnerOnlyFiles.writeAtomically(file, "a 1\n".getBytes(StandardCharsets.UTF_8));
    OwnerOnlyFiles.writeAtomically(file, "b 2\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("b 2\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    try (var listing = Files.list(file.getParent())) {
      assertEquals(1, listing.count(), "no temporary file left beside it");
    }
  }

  @Test
  void failuresAreDescribedByTheirReasonNamingThePathOnce() {
    Path file = fs.getPath("/missing/token");
    var e = assertThrows(java.io.IOException.class, () -> Files.createFile(file));
    assertEquals("/missing/token: no such file or directory", FileErrors.describe(e));
    assertEquals("no such file or directory", FileErrors.reason(e));
  }

  @Test
  void theConfigDirectoryFollowsXdgThenHomeThenUserHome() {
    assertEquals(
        Path.of("/x/lanfetch"),
        ConfigDirectory.of(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/e")::get, "/h"));
    assertEquals(
        Path.of("/e/.config/lanfetch"),
        ConfigDirectory.of(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/e")::get, "/h"));
    assertEquals(
        Path.of("/e/.config/lanfetch"), ConfigDirectory.of(Map.of("HOME", "/e")::get, "/h"));
    assertEquals(
        Path.of("/h/.config/lanfetch"), ConfigDirectory.of(Map.<String, String>of()::get, "/h"));
  }
}
