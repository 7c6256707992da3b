package lanfetch.protocol;

/**
 * Constants of the lanfetch wire protocol, version 1. {@code PROTOCOL.md} is the normative
 * description; every value here appears there.
 */
public final class Wire {
  private Wire() {}

  /** "LNFT": the first four bytes of every HELLO payload after the type. */
  public static final int MAGIC = 0x4C4E4654;

  /** Highest protocol version this code speaks. */
  public static final int VERSION = 1;

  /** Lowest protocol version this code speaks. */
  public static final int MIN_VERSION = 1;

  /** Default and recommended maximum frame length (type byte included): 64 KiB. */
  public static final int MAX_FRAME_SIZE = 0x10000;

  /** Bytes of the length prefix in front of every frame. */
  public static final int LENGTH_PREFIX_SIZE = 4;

  /**
   * The longest frame a client may send, and the smallest cap a server may configure: room for any
   * request with a name of {@link #MAX_NAME_BYTES}, or a HELLO with extensions.
   */
  public static final int MAX_CLIENT_FRAME = 0x1100;

  /** TCP port a server listens on and a client connects to unless told otherwise. */
  public static final int DEFAULT_PORT = 7890;

  /** The only TLS version spoken with {@code --tls}: both sides insist on it. */
  public static final String TLS_VERSION = "TLSv1.3";

  /** Longest name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 4096;

  /** Longest segment of a name, in UTF-8 bytes. */
  public static final int MAX_SEGMENT_BYTES = 255;

  /** GET length meaning "from the offset to the end of the file". */
  public static final long LENGTH_TO_END = -1L;

  /** Bytes of a SHA-256 digest. */
  public static final int SHA256_SIZE = 32;

  // Message types: the first byte of every frame.
  public static final byte TYPE_HELLO = 0x01; // client -> server: magic, version, capabilities
  public static final byte TYPE_WELCOME = 0x02; // server -> client: accepted version
  public static final byte TYPE_LIST = 0x10; // list a directory
  public static final byte TYPE_LIST_CHUNK = 0x11; // some entries of a listing
  public static final byte TYPE_STAT = 0x12; // describe one path
  public static final byte TYPE_STAT_RESULT = 0x13; // one entry
  public static final byte TYPE_GET = 0x14; // read a file from an offset
  public static final byte TYPE_GET_HEADER = 0x15; // precedes exactly `length` raw bytes
  public static final byte TYPE_HASH = 0x16; // SHA-256 of a whole file
  public static final byte TYPE_HASH_RESULT = 0x17; // size, mtime, digest
  public static final byte TYPE_HASH_RANGE = 0x18; // SHA-256 of a range; needs CAP_RANGE_HASH
  public static final byte TYPE_ERROR = 0x7F; // code, flags, message

  // LIST flags.
  public static final int LIST_RECURSIVE = 0x01; // include every level below the directory
  // LIST_CHUNK flags.
  public static final int CHUNK_LAST = 0x01; // no more chunks follow for this LIST
  // ERROR flags.
  public static final int ERROR_CLOSING = 0x01; // the server closes the connection after it

  // HELLO and WELCOME capability bits.
  public static final int CAP_RANGE_HASH = 0x01; // HASH_RANGE: spoken by the client / answered

  /** The capabilities this code speaks: a server offers the ones the client offered too. */
  public static final int CAPABILITIES = CAP_RANGE_HASH;

  // HELLO extension tags.
  public static final int EXT_TOKEN = 0x01; // access token, UTF-8, compared in constant time

  // Telling plain text from TLS by the first byte a client sends.
  public static final int TLS_HANDSHAKE_RECORD = 0x16; // a TLS ClientHello record starts so
  public static final int PLAIN_FIRST_BYTE = 0x00; // a HELLO frame's length prefix starts so
}
