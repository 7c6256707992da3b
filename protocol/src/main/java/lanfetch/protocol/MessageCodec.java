package lanfetch.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns messages into frame payloads and back. A payload is what follows the 4-byte length prefix:
 * the type byte, then the message's fields, big-endian, with no padding.
 *
 * <pre>
 *   +----------------+------+---------------------------+
 *   | length (u32)   | type | fields ...                |
 *   +----------------+------+---------------------------+
 *   |&lt;-- prefix ---&gt;|&lt;--------- payload: length bytes --&gt;|
 *
 *   str   = u16 byte count, then that many bytes of strict UTF-8
 *   entry = u8 kind (1 file, 2 directory), u64 size, i64 mtime ms, str name
 *
 *   HELLO        01 | u32 magic "LNFT" | u16 version | u32 caps | { u8 tag | u16 len | bytes }*
 *   WELCOME      02 | u16 version | u32 caps | str software
 *   LIST         10 | str path | u8 flags (01 recursive)
 *   LIST_CHUNK   11 | u8 flags (01 last) | u16 count | entry * count
 *   STAT         12 | str path
 *   STAT_RESULT  13 | entry
 *   GET          14 | str path | u64 offset | i64 length (-1: to the end)
 *   GET_HEADER   15 | u64 size | u64 offset | u64 length | i64 mtime ms     then length raw bytes
 *   HASH         16 | str path
 *   HASH_RESULT  17 | u64 size | i64 mtime ms | 32 bytes SHA-256
 *   HASH_RANGE   18 | str path | u64 offset | u64 length           (with capability 01 only)
 *   ERROR        7F | u16 code | u8 flags (01 closing) | str message
 * </pre>
 *
 * <p>Decoding is strict: a payload must hold exactly the fields of its type, strings must be valid
 * UTF-8, and unsigned 64-bit fields must be below 2<sup>63</sup>.
 */
public final class MessageCodec {
  private MessageCodec() {}

  /** Encodes a message into a frame payload (type byte first, no length prefix). */
  public static byte[] encode(Message message) {
    var out = new Out();
    out.u8(message.type());
    if (message instanceof Hello h) {
      out.u32(Wire.MAGIC).u16(h.version()).u32(h.capabilities());
      h.extensions().forEach((tag, value) -> out.u8(tag).u16(value.length).bytes(value));
    } else if (message instanceof Welcome w) {
      out.u16(w.version()).u32(w.capabilities()).str(w.software());
    } else if (message instanceof ListRequest l) {
      out.str(l.path()).u8(l.recursive() ? Wire.LIST_RECURSIVE : 0);
    } else if (message instanceof ListChunk c) {
      out.u8(c.last() ? Wire.CHUNK_LAST : 0).u16(c.entries().size());
      c.entries().forEach(out::entry);
    } else if (message instanceof StatRequest s) {
      out.str(s.path());
    } else if (message instanceof StatResult s) {
      out.entry(s.entry());
    } else if (message instanceof GetRequest g) {
      out.str(g.path()).u64(g.offset()).u64(g.length());
    } else if (message instanceof GetHeader g) {
      out.u64(g.size()).u64(g.offset()).u64(g.length()).u64(g.modifiedMillis());
    } else if (message instanceof HashRequest h) {
      out.str(h.path());
      if (h.ranged()) {
        out.u64(h.offset()).u64(h.length());
      }
    } else if (message instanceof HashResult h) {
      out.u64(h.size()).u64(h.modifiedMillis()).bytes(h.sha256());
    } else if (message instanceof ErrorMessage e) {
      out.u16(e.code()).u8(e.closing() ? Wire.ERROR_CLOSING : 0).str(e.message());
    } else {
      throw new AssertionError("unhandled message " + message);
    }
    return out.toByteArray();
  }

  /** Bytes an entry takes inside a LIST_CHUNK or STAT_RESULT. */
  public static int encodedSize(Entry entry) {
    return 1 + 8 + 8 + 2 + Names.utf8Length(entry.name());
  }

  /**
   * Decodes a frame payload.
   *
   * @throws UnknownMessageTypeException for a type byte this version does not define
   * @throws MalformedFrameException for anything else that is not a valid message
   */
  public static Message decode(byte[] payload) throws MalformedFrameException {
    return decode(payload, 0, payload.length);
  }

  /** Decodes {@code length} payload bytes starting at {@code offset}. */
  public static Message decode(byte[] payload, int offset, int length)
      throws MalformedFrameException {
    if (length < 1) {
      throw new MalformedFrameException("empty frame: no message type");
    }
    var in = new In(ByteBuffer.wrap(payload, offset, length));
    int type = in.u8();
    try {
      Message m =
          switch (type) {
            case Wire.TYPE_HELLO -> hello(in);
            case Wire.TYPE_WELCOME -> new Welcome(in.u16(), (int) in.u32(), in.str());
            case Wire.TYPE_LIST ->
                new ListRequest(
                    in.str(), (in.flags(Wire.LIST_RECURSIVE) & Wire.LIST_RECURSIVE) != 0);
            case Wire.TYPE_LIST_CHUNK -> listChunk(in);
            case Wire.TYPE_STAT -> new StatRequest(in.str());
            case Wire.TYPE_STAT_RESULT -> new StatResult(in.entry());
            case Wire.TYPE_GET -> getRequest(in);
            case Wire.TYPE_GET_HEADER -> getHeader(in);
            case Wire.TYPE_HASH -> new HashRequest(in.str());
            case Wire.TYPE_HASH_RANGE ->
                new HashRequest(in.str(), in.u63("offset"), in.u63("length"));
            case Wire.TYPE_HASH_RESULT ->
                new HashResult(in.u63("size"), in.i64(), in.bytes(Wire.SHA256_SIZE));
            case Wire.TYPE_ERROR ->
                new ErrorMessage(
                    in.u16(), (in.flags(Wire.ERROR_CLOSING) & Wire.ERROR_CLOSING) != 0, in.str());
            default -> throw new UnknownMessageTypeException(type);
          };
      in.expectEnd(m);
      return m;
    } catch (BufferUnderflowException e) {
      throw new MalformedFrameException(
          String.format(
              "truncated message of type 0x%02X: frame of %d bytes ends inside a field",
              type, length));
    } catch (IllegalArgumentException e) {
      throw new MalformedFrameException(
          String.format("invalid message of type 0x%02X: %s", type, e.getMessage()));
    }
  }

  private static Hello hello(In in) throws MalformedFrameException {
    int magic = (int) in.u32();
    if (magic != Wire.MAGIC) {
      throw new MalformedFrameException(
          String.format(
              "bad magic 0x%08X in HELLO, expected 0x%08X (\"LNFT\")", magic, Wire.MAGIC));
    }
    int version = in.u16();
    int caps = (int) in.u32();
    Map<Integer, byte[]> extensions = new HashMap<>();
    while (in.remaining() > 0) {
      int tag = in.u8();
      byte[] value = in.bytes(in.u16());
      if (extensions.put(tag, value) != null) {
        throw new MalformedFrameException("HELLO extension " + tag + " appears twice");
      }
    }
    return new Hello(version, caps, extensions);
  }

  private static ListChunk listChunk(In in) throws MalformedFrameException {
    boolean last = (in.flags(Wire.CHUNK_LAST) & Wire.CHUNK_LAST) != 0;
    int count = in.u16();
    // Each entry takes at least 19 bytes; reject impossible counts before allocating.
    if (count > in.remaining() / 19) {
      throw new MalformedFrameException(
          "LIST_CHUNK claims " + count + " entries but only " + in.remaining() + " bytes follow");
    }
    var entries = new ArrayList<Entry>(count);
    for (int i = 0; i < count; i++) {
      entries.add(in.entry());
    }
    return new ListChunk(entries, last);
  }

  private static GetRequest getRequest(In in) throws MalformedFrameException {
    String path = in.str();
    long offset = in.u63("offset");
    long length = in.i64();
    if (length < 0 && length != Wire.LENGTH_TO_END) {
      throw new MalformedFrameException("GET length " + length + " is negative and not -1");
    }
    return new GetRequest(path, offset, length);
  }

  private static GetHeader getHeader(In in) throws MalformedFrameException {
    long size = in.u63("size");
    long offset = in.u63("offset");
    long length = in.u63("length");
    return new GetHeader(size, offset, length, in.i64());
  }

  /** Big-endian writer into a growing array. */
  private static final class Out {
    private byte[] buf = new byte[64];
    private int len;

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    Out u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
      return this;
    }

    Out u16(int v) {
      ensure(2);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
      return this;
    }

    Out u32(long v) {
      ensure(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[len++] = (byte) (v >>> shift);
      }
      return this;
    }

    Out u64(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[len++] = (byte) (v >>> shift);
      }
      return this;
    }

    Out bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Out str(String s) {
      byte[] b = utf8(s);
      if (b.length > 0xFFFF) {
        throw new IllegalArgumentException("string of " + b.length + " bytes exceeds 65535");
      }
      return u16(b.length).bytes(b);
    }

    void entry(Entry e) {
      u8(e.kind().code()).u64(e.size()).u64(e.modifiedMillis()).str(e.name());
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, len);
    }

    /**
     * The string's UTF-8 bytes; a string that is not valid Unicode is refused, never sent with a
     * replacement character. Checked first, then encoded by {@link String#getBytes}: a name of
     * every request and listing entry comes through here, and a fresh encoder for each cost more
     * than the encoding.
     */
    private static byte[] utf8(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (Character.isSurrogate(s.charAt(i)) && !Names.isPairedSurrogate(s, i)) {
          throw new IllegalArgumentException(
              "string is not valid Unicode (unpaired surrogate): " + PeerText.quote(s));
        }
      }
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Big-endian reader over one payload; underflow surfaces as BufferUnderflowException. */
  private static final class In {
    private final ByteBuffer buf;

    In(ByteBuffer buf) {
      this.buf = buf;
    }

    int remaining() {
      return buf.remaining();
    }

    int u8() {
      return buf.get() & 0xFF;
    }

    int u16() {
      return buf.getShort() & 0xFFFF;
    }

    long u32() {
      return buf.getInt() & 0xFFFFFFFFL;
    }

    long i64() {
      return buf.getLong();
    }

    long u63(String field) throws MalformedFrameException {
      long v = buf.getLong();
      if (v < 0) {
        throw new MalformedFrameException(
            field + " " + Long.toUnsignedString(v) + " exceeds the maximum " + Long.MAX_VALUE);
      }
      return v;
    }

    int flags(int known) throws MalformedFrameException {
      int f = u8();
      if ((f & ~known) != 0) {
        throw new MalformedFrameException(String.format("unknown flag bits 0x%02X", f & ~known));
      }
      return f;
    }

    byte[] bytes(int n) {
      if (n > buf.remaining()) {
        throw new BufferUnderflowException();
      }
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    String str() throws MalformedFrameException {
      int n = u16();
      if (n > buf.remaining()) {
        throw new MalformedFrameException(
            "string of " + n + " bytes but only " + buf.remaining() + " bytes left in the frame");
      }
      var slice = buf.slice(buf.position(), n);
      buf.position(buf.position() + n);
      if (slice.hasArray()) {
        // Valid UTF-8 decodes the same leniently; only a replacement character in the result
        // can mean invalid input (or a real U+FFFD), and only then is it decoded strictly.
        String s = new String(slice.array(), slice.arrayOffset(), n, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
          return s;
        }
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(slice)
            .toString();
      } catch (CharacterCodingException e) {
        throw new MalformedFrameException("invalid UTF-8 in a string of " + n + " bytes");
      }
    }

    Entry entry() throws MalformedFrameException {
      EntryKind kind = EntryKind.fromCode(u8());
      long size = u63("size");
      long mtime = i64();
      return new Entry(kind, size, mtime, str());
    }

    void expectEnd(Message m) throws MalformedFrameException {
      if (buf.remaining() != 0) {
        throw new MalformedFrameException(
            buf.remaining() + " bytes left over after " + m.getClass().getSimpleName());
      }
    }
  }
}
