package lanfetch.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import lanfetch.protocol.Sha256;

/**
 * One file to download: the server's name for it and where it lands.
 *
 * <p>The part and sidecar paths are derived from the destination once, here: they are asked for
 * several times per file (planning, preparing, opening, committing), and thousands of small files
 * made deriving them again each time a measurable share of a run.
 *
 * @param name the name on the server, already checked against the protocol's rules
 * @param destination the final local path, inside the output directory
 * @param knownSize the size from a listing, or -1 when not known before the GET
 * @param part {@code .[接收]name.part} beside the destination: the bytes before they are complete
 * @param meta {@code .[接收]name.part.meta}: the server's size and mtime the part belongs to
 */
public record Target(String name, Path destination, long knownSize, Path part, Path meta) {
  /** Bytes of UTF-8 a file name may have on common local file systems (NAME_MAX). */
  public static final int NAME_MAX = 255;

  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(meta, "meta");
  }

  /** A target whose part and sidecar lie beside {@code destination}, named after it. */
  public Target(String name, Path destination, long knownSize) {
    this(name, destination, knownSize, destination.getParent(), partBase(destination) + ".part");
  }

  /** The directory is taken once for both siblings: a planned tree makes thousands of targets. */
  private Target(String name, Path destination, long knownSize, Path parent, String part) {
    this(
        name,
        destination,
        knownSize,
        sibling(destination, parent, part),
        sibling(destination, parent, part + ".meta"));
  }

  private static Path sibling(Path destination, Path parent, String name) {
    return parent == null ? destination.getFileSystem().getPath(name) : parent.resolve(name);
  }

  /**
   * {@code .} and the destination's name; for a name too long to take the suffixes (the protocol
   * allows 255-byte segments, NAME_MAX is 255 too), a short name derived from a hash of it, {@code
   * .lanfetch-<hex>}: the same on every run, so a cut download still resumes.
   */
  private static String partBase(Path destination) {
    String file = destination.getFileName().toString();
    // At most three UTF-8 bytes per char: most names need no encoding to know they fit.
    if (3 * file.length() + ".part.meta".length() + 1 <= NAME_MAX
        || utf8Length("." + file + ".part.meta") <= NAME_MAX) {
      return "." + file;
    }
    byte[] digest = Sha256.of(file.getBytes(StandardCharsets.UTF_8));
    return ".lanfetch-" + HexFormat.of().formatHex(digest, 0, 16);
  }

  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
