package lanfetch.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file to download: the server's name for it and where it lands.
 *
 * @param name the name on the server, already checked against the protocol's rules
 * @param destination the final local path, inside the output directory
 * @param knownSize the size from a listing, or -1 when not known before the GET
 */
record Target(String name, Path destination, long knownSize) {
  Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(destination, "destination");
  }

  /** {@code .[接收]name.part} beside the destination: the bytes before they are complete. */
  Path part() {
    return destination.resolveSibling("." + destination.getFileName() + ".part");
  }

  /** {@code .[接收]name.part.meta}: the server's size and mtime the part belongs to. */
  Path meta() {
    return destination.resolveSibling("." + destination.getFileName() + ".part.meta");
  }
}
