package lanfetch.server.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ErrorCode;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.GetRequest;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.PeerText;
import lanfetch.protocol.StatRequest;
import lanfetch.protocol.StatResult;
import lanfetch.protocol.Wire;
import lanfetch.server.AccessRecord;

/**
 * Answers one request: exactly one normal answer or one ERROR frame. Never throws; every failure
 * becomes an {@link Outcome}. File problems found before the first byte goes out are answered with
 * an ERROR and leave the connection usable; once an answer has started, a failure can only be
 * signalled by closing.
 *
 * <p>Safe for many threads at once; {@link #close()} once the server has stopped.
 */
public final class RequestHandler implements Closeable {
  private final Confinement confinement;
  private final HashCache hashes;
  private final int maxFrameSize;

  /** Shared by every worker: how many listings may run at once. */
  private final Listing.Budget listings;

  RequestHandler(Confinement confinement, HashCache hashes, int maxFrameSize) {
    this(confinement, hashes, maxFrameSize, new Listing.Budget(Runtime.getRuntime().maxMemory()));
  }

  RequestHandler(
      Confinement confinement, HashCache hashes, int maxFrameSize, Listing.Budget listings) {
    this.confinement = confinement;
    this.hashes = hashes;
    this.maxFrameSize = maxFrameSize;
    this.listings = listings;
  }

  /**
   * A handler serving {@code realRoot} and what lies below it, on any NIO file system.
   *
   * @param realRoot the served directory's real path (no links left in it)
   * @param followSymlinks whether links whose target is inside the root are served
   * @param serveHidden whether names with a segment starting with '.' are served
   * @param maxFrameSize the largest frame an answer may use
   */
  public static RequestHandler create(
      Path realRoot, boolean followSymlinks, boolean serveHidden, int maxFrameSize) {
    return new RequestHandler(
        Confinement.of(realRoot, followSymlinks, serveHidden), new HashCache(), maxFrameSize);
  }

  /** The request type as the access log shows it. */
  public static String typeName(Message.Request request) {
    if (request instanceof ListRequest l) {
      return l.recursive() ? "LIST-R" : "LIST";
    }
    return request instanceof GetRequest ? "GET" : request instanceof StatRequest ? "STAT" : "HASH";
  }

  /** Answers {@code request} into {@code out}. */
  public Outcome handle(Message.Request request, AnswerSink out) {
    return answered(request.path(), out, () -> answer(request, out));
  }

  /**
   * Answers a LIST of the directory {@code name}, not recursive, with its directories first: every
   * chunk of its directories, then every chunk of its files, each part in name order, as a page for
   * people shows them. The directory is read twice (once per part) and no entry is held from one
   * part to the next, so this costs what a LIST of it costs; it is admitted once, for both parts,
   * so it is refused BUSY before anything is sent or not at all. Otherwise as {@link #handle}.
   *
   * @param name a name as a lanfetch request carries it, "" for the root
   */
  public Outcome listDirectoriesFirst(String name, AnswerSink out) {
    return answered(
        name,
        out,
        () -> {
          checkLength(name);
          Listing.sendDirectoriesFirst(confinement, directory(name), out, maxFrameSize, listings);
        });
  }

  /** An answer to write: what it throws decides the {@link Outcome}. */
  private interface Answer {
    void write() throws RequestException, IOException;
  }

  private Outcome answered(String path, AnswerSink out, Answer answer) {
    out.startAnswer();
    try {
      answer.write();
      return new Outcome(AccessRecord.OK, out.bytesSent(), false, null);
    } catch (RequestException e) {
      return refuse(e.toMessage(), out, null);
    } catch (ConnectionLostException e) {
      return aborted(out, e.getMessage());
    } catch (IOException e) {
      if (out.bytesSent() > 0) {
        return aborted(out, "answer to " + PeerText.quote(path) + " cut short: " + e);
      }
      var error =
          e instanceof AccessDeniedException
              ? ErrorMessage.of(ErrorCode.FORBIDDEN, "not readable: " + PeerText.quote(path))
              : ErrorMessage.of(ErrorCode.INTERNAL, "cannot read " + PeerText.quote(path));
      return refuse(error, out, "reading " + PeerText.quote(path) + " failed: " + e);
    } catch (RuntimeException e) {
      return aborted(out, "bug while answering " + PeerText.quote(path) + ": " + e);
    }
  }

  private Outcome refuse(ErrorMessage error, AnswerSink out, String problem) {
    try {
      out.frame(fitted(error));
      return new Outcome(error.codeName(), out.bytesSent(), false, problem);
    } catch (IOException | RuntimeException e) {
      return aborted(out, e.getMessage());
    }
  }

  /** The error with its message cut, at a character boundary, to fit one frame. */
  private ErrorMessage fitted(ErrorMessage error) {
    // length prefix, type, code, flags, message length
    int room = maxFrameSize + Wire.LENGTH_PREFIX_SIZE - 4 - 1 - 2 - 1 - 2;
    String m = error.message();
    if (m.length() * 3 <= room || m.getBytes(StandardCharsets.UTF_8).length <= room) {
      return error;
    }
    int end = room / 3 - 1; // a char is at most 3 bytes of UTF-8; the mark takes 3 more
    if (Character.isHighSurrogate(m.charAt(end - 1))) {
      end--;
    }
    String cut = m.substring(0, end);
    return new ErrorMessage(error.code(), error.closing(), cut + "\u2026");
  }

  private static Outcome aborted(AnswerSink out, String problem) {
    out.abandonAnswer();
    return new Outcome(AccessRecord.ABORTED, out.bytesSent(), true, problem);
  }

  /**
   * What {@code name} is, found the way GET and LIST find it (naming rules, hidden names,
   * confinement, FIFOs left alone): a regular file opened for reading, a directory, or the ERROR
   * the lanfetch protocol would answer. For transports that frame their own answers (HTTP). Never
   * throws.
   *
   * @param name a name as a lanfetch request carries it, "" for the root
   */
  public Target target(String name) {
    try {
      checkLength(name);
      if (name.isEmpty()) {
        Resolved root = confinement.root();
        return new Target.Directory("", root.attributes().lastModifiedTime().toMillis());
      }
      OpenFile plain = confinement.openPlain(name).orElse(null);
      if (plain != null) {
        return file(name, plain);
      }
      Resolved r = confinement.resolve(name);
      if (r.attributes().isDirectory()) {
        // Refused here, as its listing would be: a HEAD lists nothing, and must not say 200 where
        // the GET says 403.
        confinement.checkReadable(r);
        return new Target.Directory(name, r.attributes().lastModifiedTime().toMillis());
      }
      return file(name, confinement.open(r));
    } catch (RequestException e) {
      return new Target.Refused(e.toMessage());
    } catch (IOException | RuntimeException e) {
      return new Target.Refused(
          ErrorMessage.of(ErrorCode.INTERNAL, "cannot read " + PeerText.quote(name)));
    }
  }

  private Target.File file(String name, OpenFile f) throws IOException {
    try {
      var a = f.attributes();
      Object key = a.fileKey();
      return new Target.File(
          name,
          f.channel(),
          f.channel().size(),
          a.lastModifiedTime().toMillis(),
          key != null ? key.toString() : name,
          confinement.realRoot().getFileSystem() == FileSystems.getDefault());
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private static void checkLength(String name) throws RequestException {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Wire.MAX_NAME_BYTES) {
      // Before anything looks at it: no valid name is this long.
      throw new RequestException(
          ErrorCode.INVALID_NAME,
          "invalid name "
              + PeerText.quote(name)
              + ": name is "
              + bytes
              + " bytes, longer than "
              + Wire.MAX_NAME_BYTES);
    }
  }

  private void answer(Message.Request request, AnswerSink out)
      throws RequestException, IOException {
    checkLength(request.path());
    if (request instanceof GetRequest g) {
      get(g, out);
    } else if (request instanceof ListRequest l) {
      list(l, out);
    } else if (request instanceof StatRequest s) {
      out.frame(new StatResult(stat(s.path())));
    } else if (request instanceof HashRequest h) {
      hash(h, out);
    }
  }

  private void get(GetRequest g, AnswerSink out) throws RequestException, IOException {
    OpenFile plain = confinement.openPlain(g.path()).orElse(null);
    OpenFile f = plain != null ? plain : confinement.open(confinement.resolve(g.path()));
    boolean handedOver = false;
    try {
      long size = f.channel().size(); // of the file opened, whatever its name leads to now
      long offset = g.offset();
      if (offset > size || (g.length() != Wire.LENGTH_TO_END && g.length() > size - offset)) {
        throw new RequestException(
            ErrorCode.INVALID_RANGE,
            "range "
                + offset
                + "+"
                + (g.length() == Wire.LENGTH_TO_END ? "end" : g.length())
                + " outside "
                + PeerText.quote(g.path())
                + " of "
                + size
                + " bytes");
      }
      long length = g.length() == Wire.LENGTH_TO_END ? size - offset : g.length();
      out.frame(new GetHeader(size, offset, length, f.attributes().lastModifiedTime().toMillis()));
      boolean zeroCopy = confinement.realRoot().getFileSystem() == FileSystems.getDefault();
      handedOver = out.body(f.channel(), offset, length, zeroCopy);
    } finally {
      if (!handedOver) {
        f.close();
      }
    }
  }

  private void list(ListRequest l, AnswerSink out) throws RequestException, IOException {
    Listing.send(confinement, directory(l.path()), l.recursive(), out, maxFrameSize, listings);
  }

  private Resolved directory(String name) throws RequestException {
    Resolved dir = name.isEmpty() ? confinement.root() : confinement.resolve(name);
    if (!dir.attributes().isDirectory()) {
      throw new RequestException(
          ErrorCode.NOT_A_DIRECTORY, "not a directory: " + PeerText.quote(name));
    }
    return dir;
  }

  /**
   * A STAT_RESULT exactly for what a listing would show: a regular file or directory the server can
   * open. FORBIDDEN for the rest, as GET answers for what it cannot read.
   */
  private Entry stat(String name) throws RequestException {
    Resolved r = confinement.resolve(name);
    confinement.checkReadable(r);
    var a = r.attributes();
    if (a.isRegularFile()) {
      return new Entry(EntryKind.FILE, a.size(), a.lastModifiedTime().toMillis(), name);
    }
    if (a.isDirectory()) {
      return new Entry(EntryKind.DIRECTORY, 0, a.lastModifiedTime().toMillis(), name);
    }
    throw new RequestException(
        ErrorCode.FORBIDDEN, "not a regular file or directory: " + PeerText.quote(name));
  }

  private void hash(HashRequest h, AnswerSink out) throws RequestException, IOException {
    Resolved r = confinement.resolve(h.path());
    out.flush(); // hashing a large file takes a while: the answers before it need not wait
    HashResult result;
    try (OpenFile f = confinement.open(r)) {
      long size = f.channel().size();
      long mtime = f.attributes().lastModifiedTime().toMillis();
      result = new HashResult(size, mtime, digest(h, r, f.channel(), size, mtime, out));
    }
    out.frame(result);
  }

  /**
   * The whole file's digest (HASH), or a range's (HASH_RANGE): a prefix through the cache, as a
   * whole file of that size would be, any other range computed afresh.
   */
  private byte[] digest(
      HashRequest h, Resolved r, FileChannel channel, long size, long mtime, AnswerSink out)
      throws RequestException, IOException {
    if (!h.ranged()) {
      return hashes.digest(r, channel, size, mtime, out::connected);
    }
    if (h.offset() > size || h.length() > size - h.offset()) {
      throw new RequestException(
          ErrorCode.INVALID_RANGE,
          "range "
              + h.offset()
              + "+"
              + h.length()
              + " outside "
              + PeerText.quote(h.path())
              + " of "
              + size
              + " bytes");
    }
    return h.offset() == 0
        ? hashes.digest(r, channel, h.length(), mtime, out::connected)
        : HashCache.compute(channel, h.offset(), h.length(), out::connected);
  }

  /** Releases the directory handles kept: the root's and those below it. */
  @Override
  public void close() throws IOException {
    confinement.close();
  }
}
