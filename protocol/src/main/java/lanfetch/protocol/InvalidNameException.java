package lanfetch.protocol;

/** A name breaks the naming rules of PROTOCOL.md. The message says which rule. */
public final class InvalidNameException extends ProtocolException {
  private final String name;

  public InvalidNameException(String name, String reason) {
    super("invalid name " + PeerText.quote(name) + ": " + reason);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
