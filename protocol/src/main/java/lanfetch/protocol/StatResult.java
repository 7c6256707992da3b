package lanfetch.protocol;

import java.util.Objects;

/** Answers STAT; the entry's name is the requested name. */
public record StatResult(Entry entry) implements Message {
  public StatResult {
    Objects.requireNonNull(entry, "entry");
  }

  @Override
  public byte type() {
    return Wire.TYPE_STAT_RESULT;
  }
}
