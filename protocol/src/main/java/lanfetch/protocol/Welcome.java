package lanfetch.protocol;

import java.util.Objects;

/**
 * The server's answer to an acceptable HELLO.
 *
 * @param version the protocol version both sides now speak
 * @param capabilities capability flags; none are defined in version 1
 * @param software free text naming the server software, such as "lanfetch-server/0.1.0"
 */
public record Welcome(int version, int capabilities, String software) implements Message {
  public Welcome {
    Objects.requireNonNull(software, "software");
  }

  @Override
  public byte type() {
    return Wire.TYPE_WELCOME;
  }
}
