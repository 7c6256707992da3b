package lanfetch.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One file to download: the server's name for it and where it lands.
 *
 * @param name the name on the server, already checked against the protocol's rules
 * @param destination the final local path, inside the output directory
 * @param knownSize the size from a listing, or -1 when not known before the GET
 */
record Target(String name, Path destination, long knownSize) {
  /** Bytes of UTF-8 a file name may have on common local file systems (NAME_MAX). */
  static final int NAME_MAX = 255;

  Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(destination, "destination");
  }

  /** {@code .[接收]name.part} beside the destination: the bytes before they are complete. */
  Path part() {
    return destination.resolveSibling(partBase() + ".part");
  }

  /** {@code .[接收]name.part.meta}: the server's size and mtime the part belongs to. */
  Path meta() {
    return destination.resolveSibling(partBase() + ".part.meta");
  }

  /**
   * {@code .} and the destination's name; for a name too long to take the suffixes (the protocol
   * allows 255-byte segments, NAME_MAX is 255 too), a short name derived from a hash of it,
   * {@code .lanfetch-<hex>}: the same on every run, so a cut download still resumes.
   */
  private String partBase() {
    String file = destination.getFileName().toString();
    if (utf8Length("." + file + ".part.meta") <= NAME_MAX) {
      return "." + file;
    }
    byte[] digest = BodyReader.sha256().digest(file.getBytes(StandardCharsets.UTF_8));
    return ".lanfetch-" + HexFormat.of().formatHex(digest, 0, 16);
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
