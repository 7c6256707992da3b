package lanfetch.server;

/** The server's version, from the jar manifest (Implementation-Version). */
public final class ServerVersion {
  private ServerVersion() {}

  /** "0.1.0", or "dev" when not running from the packaged jar. */
  public static String get() {
    String v = ServerVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** What WELCOME names the server: "lanfetch-server/0.1.0". */
  static String software() {
    return "lanfetch-server/" + get();
  }
}
