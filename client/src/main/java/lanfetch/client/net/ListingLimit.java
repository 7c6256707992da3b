package lanfetch.client.net;

import java.nio.charset.StandardCharsets;
import lanfetch.client.Units;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.PeerText;
import lanfetch.protocol.ProtocolException;

/**
 * How much of one LIST answer the client will hold. The protocol puts no bound on a listing, so a
 * server that never sets {@code last} could otherwise grow the client's memory without end; past
 * these limits the server is treated as broken (exit code 5).
 *
 * @param maxEntries entries (and chunks, so endless empty chunks end too) in one answer
 * @param maxNameBytes UTF-8 bytes of all names in one answer
 */
public record ListingLimit(long maxEntries, long maxNameBytes) {
  /** A million files, and 128 MiB of names: far beyond any real tree, well within a heap. */
  static final ListingLimit DEFAULT = new ListingLimit(1_000_000, 128L << 20);

  /** Counts one answer's chunks against the limit. */
  Counter counter(String directory) {
    return new Counter(directory);
  }

  final class Counter {
    private final String directory;
    private long entries;
    private long chunks;
    private long nameBytes;

    private Counter(String directory) {
      this.directory = directory;
    }

    void add(ListChunk chunk) throws ProtocolException {
      chunks++;
      entries += chunk.entries().size();
      for (var e : chunk.entries()) {
        nameBytes += e.name().getBytes(StandardCharsets.UTF_8).length;
      }
      if (entries > maxEntries || chunks > maxEntries) {
        throw tooLong(maxEntries + " entries");
      }
      if (nameBytes > maxNameBytes) {
        throw tooLong(Units.bytes(maxNameBytes) + " of names");
      }
    }

    private ProtocolException tooLong(String what) {
      String dir = directory.isEmpty() ? "/" : PeerText.quote(directory);
      return new ProtocolException(
          "the listing of " + dir + " ran past " + what + " without ending; stopped reading it");
    }
  }
}
