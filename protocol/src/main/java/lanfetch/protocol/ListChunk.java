package lanfetch.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Some entries of a listing. A LIST is answered by one or more chunks, the last one flagged.
 *
 * @param entries entries in this chunk, names relative to the listed directory
 * @param last whether this chunk ends the answer
 */
public record ListChunk(List<Entry> entries, boolean last) implements Message {
  /** Bytes of a LIST_CHUNK frame before its entries: type, flags, count. */
  static final int HEADER_SIZE = 1 + 1 + 2;

  public ListChunk {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    if (entries.size() > 0xFFFF) {
      throw new IllegalArgumentException("more than 65535 entries in one chunk");
    }
  }

  @Override
  public byte type() {
    return Wire.TYPE_LIST_CHUNK;
  }

  /**
   * Splits entries into chunks whose frames each fit {@code maxFrameSize}, the last one flagged. No
   * entries give a single empty last chunk.
   */
  public static List<ListChunk> split(List<Entry> entries, int maxFrameSize) {
    var chunks = new ArrayList<ListChunk>();
    var current = new ArrayList<Entry>();
    int size = HEADER_SIZE;
    for (Entry e : entries) {
      int entrySize = MessageCodec.encodedSize(e);
      if (HEADER_SIZE + entrySize > maxFrameSize) {
        throw new IllegalArgumentException(
            "entry "
                + PeerText.quote(e.name())
                + " does not fit in a frame of "
                + maxFrameSize
                + " bytes");
      }
      if (size + entrySize > maxFrameSize || current.size() == 0xFFFF) {
        chunks.add(new ListChunk(current, false));
        current = new ArrayList<>();
        size = HEADER_SIZE;
      }
      current.add(e);
      size += entrySize;
    }
    chunks.add(new ListChunk(current, true));
    return chunks;
  }
}
