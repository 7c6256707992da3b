package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lanfetch.protocol.Entry;
import lanfetch.protocol.EntryKind;
import lanfetch.protocol.ListChunk;
import lanfetch.protocol.ListRequest;
import lanfetch.protocol.Message;
import lanfetch.protocol.Wire;
import lanfetch.server.ServerExtension;
import lanfetch.server.files.OneListingAtATime;
import lanfetch.server.files.Outcome;
import lanfetch.server.files.RequestHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A directory listing goes out as it is listed, never whole in memory: the writer is handed one
 * rendered LIST chunk at a time, the page is byte for byte what {@link ListingPage} renders whole,
 * and a listing that fails after its head cuts the answer short instead of ending it.
 */
class StreamedListingTest {
  private static final int FILES = 20_000;
  private static final int DIRECTORIES = 300;

  /** Far less than the page; one rendered LIST chunk is a few hundred KiB. */
  private static final int MAX_WRITE = 1024 * 1024;

  @RegisterExtension final ServerExtension server = ServerExtension.create();

  private void bigTree() throws IOException {
    Path big = Files.createDirectories(server.root().resolve("big"));
    String pad = "-a-name-long-enough-to-make-a-page-of-many-megabytes";
    for (int i = 0; i < FILES; i++) {
      Files.writeString(big.resolve("f" + i + pad + ".txt"), i % 7 == 0 ? "x" : "");
    }
    for (int i = 0; i < DIRECTORIES; i++) {
      Files.createDirectory(big.resolve("d" + i + pad));
    }
  }

  @Test
  void aLargeHtmlListingIsWrittenChunkByChunkAndIsTheWholePage() throws Exception {
    bigTree();
    var out = new Recording(null);
    var a = responder().answer(call("GET", "/big/", HttpVersion.HTTP_1_1), out);
    assertEquals("200", a.status());
    assertFalse(a.close());
    String head = out.head();
    assertTrue(head.contains("\r\nTransfer-Encoding: chunked\r\n"), head);
    assertFalse(head.contains("Content-Length"), head);
    byte[] page = dechunk(out.body());
    byte[] whole = ListingPage.html(List.of("big", ""), entries("big"));
    assertTrue(whole.length > 4 * MAX_WRITE, "page of " + whole.length);
    assertArrayEquals(whole, page);
    assertTrue(out.largest <= MAX_WRITE, "one write of " + out.largest + " bytes");
    assertTrue(new String(page, StandardCharsets.UTF_8).contains(DIRECTORIES + " directories"));
  }

  @Test
  void aLargeJsonListingIsStreamedAndValid() throws Exception {
    bigTree();
    var out = new Recording(null);
    var a = responder().answer(call("GET", "/big/?json", HttpVersion.HTTP_1_1), out);
    assertEquals("200", a.status());
    byte[] json = dechunk(out.body());
    assertArrayEquals(ListingPage.json(List.of("big", ""), entries("big")), json);
    assertTrue(out.largest <= MAX_WRITE, "one write of " + out.largest + " bytes");
  }

  @Test
  void headListsNothingAndAnnouncesNoLength() throws Exception {
    var out = new Recording(null);
    Files.createDirectories(server.root().resolve("big"));
    var a = responder().answer(call("HEAD", "/big/", HttpVersion.HTTP_1_1), out);
    assertEquals("200", a.status());
    String head = out.head();
    assertTrue(head.contains("Transfer-Encoding: chunked"), head);
    assertFalse(head.contains("Content-Length"), head);
    assertEquals(0, out.body().length);
  }

  @Test
  void aListingThatFailsAfterItsHeadIsCutShort() throws Exception {
    Path small = Files.createDirectories(server.root().resolve("small/sub"));
    Files.writeString(small.resolveSibling("a.txt"), "a");
    // The directory goes away once the head is out: the second pass (the files) finds nothing.
    Runnable move =
        () -> {
          try {
            Files.move(small.getParent(), server.root().resolve("moved"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    var out = new Recording(move);
    var a = responder().answer(call("GET", "/small/", HttpVersion.HTTP_1_1), out);
    assertEquals("ABORTED", a.status());
    assertTrue(a.close(), "the connection is reset, so the client sees the answer is incomplete");
    assertTrue(a.problem().contains("after its head"), a.problem());
    assertTrue(out.head().startsWith("HTTP/1.1 200 "), out.head());
    String body = new String(out.body(), StandardCharsets.UTF_8);
    assertFalse(body.endsWith("0\r\n\r\n"), "the last chunk was sent: " + body);
    assertFalse(body.contains("</html>"), body);
  }

  @Test
  void anHtmlPageIsOneAdmissionSoAListingBetweenItsPassesCannotCutItShort() throws Exception {
    Path sub = Files.createDirectories(server.root().resolve("mixed/sub"));
    Path file = Files.writeString(sub.resolveSibling("a.txt"), "a");
    // One listing at a time; the moment a listing gives its place back, another worker's LIST
    // takes it, as on a busy server. The page lists directories, then files: it must not give
    // its place back in between.
    var other = new OtherListing();
    other.files = OneListingAtATime.handler(realRoot(), other::startOnce);
    var out = new Recording(null);
    var a =
        new HttpResponder(other.files, Clock.systemUTC())
            .answer(call("GET", "/mixed/", HttpVersion.HTTP_1_1), out);
    assertEquals("OK", other.finish().status(), "the other LIST ran once the page was done");
    assertEquals("200", a.status(), a.problem());
    assertFalse(a.close());
    var entries =
        List.of(
            new Entry(EntryKind.DIRECTORY, 0, Files.getLastModifiedTime(sub).toMillis(), "sub"),
            new Entry(EntryKind.FILE, 1, Files.getLastModifiedTime(file).toMillis(), "a.txt"));
    assertArrayEquals(ListingPage.html(List.of("mixed", ""), entries), dechunk(out.body()));
  }

  @Test
  void anHtmlPageAtAFullListingBudgetIs503BeforeAnythingElse() throws Exception {
    Files.createDirectories(server.root().resolve("mixed/sub"));
    var other = new OtherListing();
    other.files = OneListingAtATime.handler(realRoot(), () -> {});
    other.startOnce(); // holds the only place
    try {
      var out = new Recording(null);
      var a =
          new HttpResponder(other.files, Clock.systemUTC())
              .answer(call("GET", "/mixed/", HttpVersion.HTTP_1_1), out);
      assertEquals("503", a.status());
      assertFalse(a.close(), "a clean answer: the connection stays usable");
      assertTrue(out.head().startsWith("HTTP/1.1 503 "), out.head());
      assertTrue(out.head().contains("\r\nRetry-After: 5\r\n"), out.head());
      String body = new String(out.body(), StandardCharsets.UTF_8);
      assertTrue(body.contains("too many listings"), body);
      assertFalse(body.contains("<table>"), "no part of a listing: " + body);
    } finally {
      assertEquals("OK", other.finish().status());
    }
  }

  /**
   * Another worker's LIST of the root, started once: it takes its place in the listing budget and
   * keeps it, blocked in its first chunk, until {@link #finish}.
   */
  private static final class OtherListing {
    RequestHandler files;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch admitted = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    void startOnce() {
      if (!started.compareAndSet(false, true)) {
        return;
      }
      var sink =
          new Recording(null) {
            @Override
            public void frame(Message m) {
              admitted.countDown();
              if (m instanceof ListChunk) {
                await(finished);
              }
            }
          };
      var t = new Thread(() -> outcome.complete(files.handle(new ListRequest("", false), sink)));
      t.setDaemon(true);
      t.start();
      await(admitted);
    }

    Outcome finish() throws Exception {
      finished.countDown();
      return started.get()
          ? outcome.get(10, TimeUnit.SECONDS)
          : new Outcome("NOT RUN", 0, false, null);
    }

    private static void await(CountDownLatch latch) {
      try {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "waited 10 s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void http10GetsTheListingUntilTheServerCloses() throws Exception {
    bigTree();
    try (var s = new Socket()) {
      s.setSoTimeout(30_000);
      s.connect(server.address(), 10_000);
      s.getOutputStream()
          .write(
              "GET /big/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] all = s.getInputStream().readAllBytes(); // ends only when the server closes
      int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head = new String(all, 0, end, StandardCharsets.US_ASCII);
      assertTrue(head.startsWith("HTTP/1.1 200 "), head);
      assertTrue(head.contains("\r\nConnection: close"), head);
      assertFalse(head.contains("Content-Length") || head.contains("Transfer-Encoding"), head);
      byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
      assertArrayEquals(ListingPage.html(List.of("big", ""), entries("big")), body);
    }
  }

  private RequestHandler handler() {
    return RequestHandler.create(realRoot(), false, false, Wire.MAX_FRAME_SIZE);
  }

  private Path realRoot() {
    try {
      return server.root().toRealPath();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private HttpResponder responder() {
    return new HttpResponder(handler(), Clock.systemUTC());
  }

  private static HttpCall call(String method, String target, HttpVersion version) {
    var request = new DefaultHttpRequest(version, HttpMethod.valueOf(method), target);
    request.headers().set("Host", "test");
    return HttpCall.request(request, true);
  }

  /** What LIST gives for {@code dir}, in its order: what the page was rendered from whole. */
  private List<Entry> entries(String dir) {
    var entries = new ArrayList<Entry>();
    handler()
        .handle(
            new ListRequest(dir, false),
            new Recording(null) {
              @Override
              public void frame(Message m) {
                if (m instanceof ListChunk c) {
                  entries.addAll(c.entries());
                }
              }
            });
    return entries;
  }

  private static byte[] dechunk(byte[] body) {
    var out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = indexOf(body, i, "\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(eol > i, "a chunk size line at " + i);
      int n = Integer.parseInt(new String(body, i, eol - i, StandardCharsets.US_ASCII), 16);
      i = eol + 2;
      if (n == 0) {
        assertEquals(i + 2, body.length, "bytes after the last chunk");
        return out.toByteArray();
      }
      out.write(body, i, n);
      i += n;
      assertEquals('\r', body[i]);
      assertEquals('\n', body[i + 1]);
      i += 2;
    }
  }

  private static int indexOf(byte[] a, byte[] b) {
    return indexOf(a, 0, b);
  }

  private static int indexOf(byte[] a, int from, byte[] b) {
    outer:
    for (int i = from; i + b.length <= a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Keeps every byte put out and the largest single write; runs {@code afterFirst} once. */
  private static class Recording implements HttpSink {
    final ByteArrayOutputStream all = new ByteArrayOutputStream();
    int largest;
    private Runnable afterFirst;
    private long sent;

    Recording(Runnable afterFirst) {
      this.afterFirst = afterFirst;
    }

    @Override
    public void bytes(byte[] bytes) {
      all.writeBytes(bytes);
      largest = Math.max(largest, bytes.length);
      sent += bytes.length;
      if (afterFirst != null) {
        Runnable r = afterFirst;
        afterFirst = null;
        r.run();
      }
    }

    String head() {
      byte[] a = all.toByteArray();
      int end = indexOf(a, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return new String(a, 0, end + 2, StandardCharsets.US_ASCII);
    }

    byte[] body() {
      byte[] a = all.toByteArray();
      int end = indexOf(a, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return java.util.Arrays.copyOfRange(a, end + 4, a.length);
    }

    @Override
    public void startAnswer() {}

    @Override
    public long bytesSent() {
      return sent;
    }

    @Override
    public void abandonAnswer() {}

    @Override
    public boolean connected() {
      return true;
    }

    @Override
    public void frame(Message message) {
      throw new IllegalStateException("HTTP answers are bytes");
    }

    @Override
    public void flush() {}

    @Override
    public boolean body(FileChannel file, long position, long length, boolean zeroCopy) {
      throw new IllegalStateException("a listing has no file body");
    }
  }
}
