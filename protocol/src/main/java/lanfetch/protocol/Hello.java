package lanfetch.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The first frame of every connection, from the client.
 *
 * @param version the highest protocol version the client speaks
 * @param capabilities capability flags; none are defined in version 1, senders send 0
 * @param extensions tagged values (tag 0..255 to bytes), such as {@link Wire#EXT_TOKEN}
 */
public record Hello(int version, int capabilities, Map<Integer, byte[]> extensions)
    implements Message {
  public Hello {
    if (version < 0 || version > 0xFFFF) {
      throw new IllegalArgumentException("version out of range: " + version);
    }
    var copy = new TreeMap<Integer, byte[]>();
    for (var e : Objects.requireNonNull(extensions, "extensions").entrySet()) {
      int tag = e.getKey();
      if (tag < 0 || tag > 0xFF) {
        throw new IllegalArgumentException("extension tag out of range: " + tag);
      }
      if (e.getValue().length > 0xFFFF) {
        throw new IllegalArgumentException("extension " + tag + " longer than 65535 bytes");
      }
      copy.put(tag, e.getValue().clone());
    }
    extensions = Collections.unmodifiableMap(copy);
  }

  /** A HELLO for this implementation's version, with no extensions. */
  public static Hello current() {
    return new Hello(Wire.VERSION, 0, Map.of());
  }

  @Override
  public byte type() {
    return Wire.TYPE_HELLO;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Hello h)
        || h.version != version
        || h.capabilities != capabilities
        || !h.extensions.keySet().equals(extensions.keySet())) {
      return false;
    }
    return extensions.entrySet().stream()
        .allMatch(e -> Arrays.equals(e.getValue(), h.extensions.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int h = 31 * version + capabilities;
    for (var e : extensions.entrySet()) {
      h = 31 * h + e.getKey() * 17 + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return "Hello[version="
        + version
        + ", capabilities="
        + capabilities
        + ", extensions="
        + extensions.keySet()
        + "]";
  }
}
