package lanfetch.client.landing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;
import lanfetch.protocol.GetHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final name goes only to the file this run wrote, on the real file system: a part name that
 * another program pointed at another file while this run held and wrote its part is not given the
 * final name (it is taken back after the link), and nothing is reported done.
 */
class PartOwnershipTest {
  @TempDir Path out;

  private Target target() {
    return new Target("a.bin", out.resolve("[接收]a.bin"), -1);
  }

  private OwnedPart writtenPart(Target t) throws IOException {
    var part = PartFile.claim(t, new GetHeader(4, 0, 4, 1000), true);
    part.channel().write(ByteBuffer.wrap("mine".getBytes(StandardCharsets.UTF_8)));
    return part;
  }

  /** What another program does to the part name meanwhile: removes it and writes its own file. */
  private static void replacePartName(Target t) throws IOException {
    Files.delete(t.part());
    Files.writeString(t.part(), "theirs");
  }

  @Test
  void aLinkToAnotherFileIsTakenBack() throws IOException {
    Target t = target();
    OwnedPart part = writtenPart(t);
    replacePartName(t);

    var f =
        assertThrows(FileFailure.class, () -> PartFile.commit(part, 4, 1000, ExistingPolicy.FAIL));
    assertEquals("LOCAL_IO", f.codeName());
    assertTrue(f.getMessage().contains("replaced by another program"), f.getMessage());
    assertFalse(Files.exists(t.destination()), "the final name was not left on their file");
    assertEquals("theirs", Files.readString(t.part()), "their file keeps its name");
  }

  @Test
  void overwriteNeverRenamesAnotherFileOverTheDestination() throws IOException {
    Target t = target();
    Files.writeString(t.destination(), "old");
    OwnedPart part = writtenPart(t);
    replacePartName(t);

    var f =
        assertThrows(
            FileFailure.class, () -> PartFile.commit(part, 4, 1000, ExistingPolicy.OVERWRITE));
    assertEquals("LOCAL_IO", f.codeName());
    assertEquals("old", Files.readString(t.destination()));
    assertEquals("theirs", Files.readString(t.part()));
  }

  @Test
  void theFileThisRunWroteGetsTheNameAndTheServersMtime() throws IOException {
    Target t = target();
    OwnedPart part = writtenPart(t);
    assertEquals(PartFile.Landed.PLACED, PartFile.commit(part, 4, 1000, ExistingPolicy.FAIL));
    assertEquals("mine", Files.readString(t.destination()));
    assertEquals(1000, Files.getLastModifiedTime(t.destination()).toMillis());
    assertFalse(Files.exists(t.part()));
  }
}
