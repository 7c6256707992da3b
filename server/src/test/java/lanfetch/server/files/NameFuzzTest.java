package lanfetch.server.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import lanfetch.protocol.ErrorCode;

/**
 * Arbitrary names (any UTF-8 the wire can carry) straight into {@link Confinement}, on a jimfs tree
 * with links in and out of the root, in a middle segment, and to hidden names. Whatever the name: a
 * refusal with one of the codes the protocol allows for it, or a real path inside the root with no
 * hidden segment, whose bytes are the inside file's.
 *
 * <p>Seeds: src/test/resources/lanfetch/server/files/NameFuzzTestInputs; {@code JAZZER_FUZZ=1}
 * fuzzes for real.
 */
class NameFuzzTest {
  private static final Set<ErrorCode> REFUSALS =
      Set.of(
          ErrorCode.INVALID_NAME, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.NOT_A_FILE);
  private static final Path ROOT;
  private static final Confinement CONFINEMENT;

  static {
    try {
      var fs = Jimfs.newFileSystem(Configuration.unix());
      Path base = Files.createDirectories(fs.getPath("/srv"));
      ROOT = Files.createDirectories(base.resolve("files"));
      Files.createDirectories(base.resolve("files-private"));
      Files.writeString(base.resolve("files-private/x"), "OUT");
      Files.writeString(base.resolve("secret"), "OUT");
      Files.createDirectories(ROOT.resolve("d/e"));
      Files.writeString(ROOT.resolve("d/e/f.txt"), "IN");
      Files.writeString(ROOT.resolve("a.txt"), "IN");
      Files.writeString(ROOT.resolve(".hidden"), "OUT");
      Files.createSymbolicLink(ROOT.resolve("out"), base.resolve("secret"));
      Files.createSymbolicLink(ROOT.resolve("outdir"), base);
      Files.createSymbolicLink(ROOT.resolve("priv"), base.resolve("files-private"));
      Files.createSymbolicLink(ROOT.resolve("d/up"), fs.getPath(".."));
      Files.createSymbolicLink(ROOT.resolve("d/upup"), fs.getPath("../.."));
      Files.createSymbolicLink(ROOT.resolve("toHidden"), ROOT.resolve(".hidden"));
      Files.createSymbolicLink(ROOT.resolve("in"), ROOT.resolve("d/e"));
      CONFINEMENT = Confinement.of(ROOT.toRealPath(), true, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void anyNameStaysInside(byte[] input) throws IOException {
    String name = new String(input, StandardCharsets.UTF_8);
    try {
      Resolved r = CONFINEMENT.resolve(name);
      assertTrue(r.real().startsWith(ROOT), () -> name + " resolved to " + r.real());
      for (Path segment : ROOT.relativize(r.real())) {
        assertFalse(segment.toString().startsWith("."), () -> name + " reached " + r.real());
      }
      try (OpenFile f = CONFINEMENT.open(r)) {
        var buf = java.nio.ByteBuffer.allocate(16);
        f.channel().read(buf, 0);
        assertFalse(
            new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).contains("OUT"),
            () -> name + " opened an outside or hidden file");
      }
    } catch (RequestException e) {
      assertTrue(REFUSALS.contains(e.code()), () -> name + " refused with " + e.code());
      assertFalse(e.getMessage().isBlank());
    }
  }
}
