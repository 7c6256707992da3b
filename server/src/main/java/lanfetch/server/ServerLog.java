package lanfetch.server;

/**
 * Where the server reports what it does: one access line per answered request, and warnings about
 * clients that misbehave or failures the operator should know about. Implementations are called
 * from many threads at once.
 */
public interface ServerLog {
  /** Records one answered request. */
  void access(AccessRecord record);

  /**
   * Reports something the operator should see.
   *
   * @param client the client concerned ("127.0.0.1:50412"), or null for the server itself
   * @param message one line, no trailing period
   */
  void warn(String client, String message);

  /** A log that drops everything, the default for servers embedded in other programs. */
  static ServerLog discard() {
    return new ServerLog() {
      @Override
      public void access(AccessRecord record) {}

      @Override
      public void warn(String client, String message) {}
    };
  }
}
