package lanfetch.protocol;

/** What a listed name is. */
public enum EntryKind {
  FILE(1),
  DIRECTORY(2);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static EntryKind fromCode(int code) throws MalformedFrameException {
    return switch (code) {
      case 1 -> FILE;
      case 2 -> DIRECTORY;
      default -> throw new MalformedFrameException("unknown entry kind " + code);
    };
  }
}
