package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lanfetch.server.ServerExtension;
import lanfetch.server.security.AccessToken;
import lanfetch.server.security.ServerTls;
import lanfetch.testing.FaultProxy;
import lanfetch.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side as users meet it: the curl and wget installed on the machine, against a real server
 * on loopback, each download compared byte for byte with the served file.
 */
class RealClientsTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();
  @TempDir Path work;

  /** The served tree a mirror must reproduce: nested, Chinese, and every character URLs trip on. */
  static final Map<String, byte[]> TREE = tree();

  private static Map<String, byte[]> tree() {
    var t = new TreeMap<String, byte[]>();
    t.put("readme.txt", "hello from lanfetch\n".getBytes(StandardCharsets.UTF_8));
    t.put("empty.bin", new byte[0]);
    t.put("docs/guide.txt", "guide\n".getBytes(StandardCharsets.UTF_8));
    t.put("docs/deep/er/deepest.bin", TestFiles.random(70_001, 1));
    t.put("报告 2026/报告.pdf", TestFiles.random(123_457, 2));
    t.put("报告 2026/季度 #1/数据.csv", "季度,金额\n1,100\n".getBytes(StandardCharsets.UTF_8));
    t.put("a b # c % d ? e.txt", "odd name\n".getBytes(StandardCharsets.UTF_8));
    t.put("100%.txt", "percent\n".getBytes(StandardCharsets.UTF_8));
    t.put("&amp; 'quoted' \"name\".txt", "entities\n".getBytes(StandardCharsets.UTF_8));
    t.put("a+b=c;d,e@f!g$h.txt", "sub-delims\n".getBytes(StandardCharsets.UTF_8));
    t.put("\uD83D\uDE00 smile.txt", "astral\n".getBytes(StandardCharsets.UTF_8));
    return t;
  }

  private void serveTree() throws IOException {
    for (var e : TREE.entrySet()) {
      Path p = server.root().resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    Files.writeString(server.root().resolve(".hidden"), "not served");
    Files.createDirectories(server.root().resolve("docs/.git"));
    Files.writeString(server.root().resolve("docs/.git/config"), "not served");
  }

  private String url(String name) {
    return url(server.address().getPort(), name);
  }

  static String url(int port, String name) {
    var sb = new StringBuilder("http://127.0.0.1:").append(port).append('/');
    String[] segments = name.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      sb.append(i > 0 ? "/" : "").append(PercentEncoding.encodeSegment(segments[i]));
    }
    return sb.toString();
  }

  private Path serve(String name, byte[] data) throws IOException {
    Path p = server.root().resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, data);
  }

  private static ExternalTool curl() {
    return ExternalTool.require("curl", "curl");
  }

  private static ExternalTool wget() {
    return ExternalTool.require("wget", "wget");
  }

  /** {@code -q} (first) ignores a .curlrc; {@code -f} makes an HTTP error an exit status. */
  private ExternalTool.Result curl(String... args) throws Exception {
    var all = new ArrayList<>(List.of("-q", "--silent", "--show-error", "--fail"));
    all.addAll(Arrays.asList(args));
    return curl().run(work, all);
  }

  private ExternalTool.Result wget(String... args) throws Exception {
    var all = new ArrayList<>(List.of("--no-config", "--no-verbose"));
    all.addAll(Arrays.asList(args));
    return wget().run(work, all);
  }

  @Test
  void curlDownloadsAFileByteForByte() throws Exception {
    byte[] data = TestFiles.random(3 * 1024 * 1024 + 17, 10);
    serve("报告 2026/年度 报告.bin", data);
    var r = curl("-o", "out.bin", url("报告 2026/年度 报告.bin"));
    assertEquals(0, r.exit(), r.describe());
    assertArrayEquals(data, Files.readAllBytes(work.resolve("out.bin")));
  }

  @Test
  void wgetNamesTheFileFromTheUtf8ContentDispositionOfDownload() throws Exception {
    byte[] data = TestFiles.random(1000, 11);
    serve("报告 2026/年度 报告.pdf", data);
    var r = wget("--content-disposition", "-P", "dl", url("报告 2026/年度 报告.pdf") + "?download");
    assertEquals(0, r.exit(), r.describe());
    assertArrayEquals(data, Files.readAllBytes(work.resolve("dl/年度 报告.pdf")));
  }

  @Test
  void curlHeadShowsTheHeadersOfTheFileAndNoBody() throws Exception {
    serve("a.txt", TestFiles.random(12_345, 12));
    var r = curl("-I", "-o", "head.txt", url("a.txt"));
    assertEquals(0, r.exit(), r.describe());
    String head = Files.readString(work.resolve("head.txt")).toLowerCase(Locale.ROOT);
    assertTrue(head.startsWith("http/1.1 200"), head);
    assertTrue(head.contains("content-length: 12345\r\n"), head);
    assertTrue(head.contains("accept-ranges: bytes\r\n"), head);
    assertTrue(head.contains("etag: \""), head);
    assertTrue(head.contains("last-modified: "), head);
    assertTrue(head.contains("content-type: text/plain"), head);
    assertTrue(head.endsWith("\r\n\r\n"), "nothing after the headers: " + head);
  }

  @Test
  void curlRangesGetExactlyTheBytesAsked() throws Exception {
    byte[] data = TestFiles.random(100_000, 13);
    serve("r.bin", data);
    String u = url("r.bin");
    assertRange(u, "0-0", Arrays.copyOfRange(data, 0, 1));
    assertRange(u, "99999-99999", Arrays.copyOfRange(data, 99_999, 100_000));
    assertRange(u, "1000-1999", Arrays.copyOfRange(data, 1000, 2000));
    assertRange(u, "-500", Arrays.copyOfRange(data, 99_500, 100_000));
    assertRange(u, "99000-", Arrays.copyOfRange(data, 99_000, 100_000));
    assertRange(u, "99000-200000", Arrays.copyOfRange(data, 99_000, 100_000));

    var r = curl("-D", "h.txt", "-o", "body", "-r", "200000-300000", u);
    assertEquals(22, r.exit(), "curl --fail exits 22 on an HTTP error: " + r.describe());
    String head = Files.readString(work.resolve("h.txt")).toLowerCase(Locale.ROOT);
    assertTrue(head.startsWith("http/1.1 416"), head);
    assertTrue(head.contains("content-range: bytes */100000\r\n"), head);
  }

  private void assertRange(String url, String range, byte[] expected) throws Exception {
    Files.deleteIfExists(work.resolve("part"));
    var r = curl("-D", "h.txt", "-o", "part", "-r", range, url);
    assertEquals(0, r.exit(), r.describe());
    String head = Files.readString(work.resolve("h.txt")).toLowerCase(Locale.ROOT);
    assertTrue(head.startsWith("http/1.1 206"), range + ": " + head);
    assertArrayEquals(expected, Files.readAllBytes(work.resolve("part")), range);
  }

  @Test
  void curlResumesACutDownloadWithDashCDash() throws Exception {
    byte[] data = TestFiles.random(4 * 1024 * 1024, 14);
    serve("big 大.bin", data);
    try (var proxy = FaultProxy.cut(server.address().getPort(), 1_000_000)) {
      String u = url(proxy.socketAddress().getPort(), "big 大.bin");
      var cut = curl("-o", "big.bin", u);
      assertNotEquals(0, cut.exit(), "the first download was cut: " + cut.describe());
      long partial = Files.size(work.resolve("big.bin"));
      assertTrue(partial > 0 && partial < data.length, "partial file of " + partial + " bytes");

      var resumed = curl("-C", "-", "-D", "h.txt", "-o", "big.bin", u);
      assertEquals(0, resumed.exit(), resumed.describe());
      String head = Files.readString(work.resolve("h.txt")).toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("http/1.1 206"), head);
      assertTrue(
          head.contains("content-range: bytes " + partial + "-" + (data.length - 1) + "/"), head);
      assertArrayEquals(data, Files.readAllBytes(work.resolve("big.bin")));
    }
  }

  @Test
  void curlParallelFetchesManyFiles() throws Exception {
    var files = new TreeMap<String, byte[]>();
    for (int i = 0; i < 300; i++) {
      String dir = i % 3 == 0 ? "" : i % 3 == 1 ? "sub/" : "目录 #/";
      files.put(dir + "f" + i + (i % 7 == 0 ? " 文件" : "") + ".bin", TestFiles.random(i * 97, i));
    }
    var config = new StringBuilder();
    int n = 0;
    for (var e : files.entrySet()) {
      serve(e.getKey(), e.getValue());
      config.append("url = \"").append(url(e.getKey())).append("\"\n");
      config.append("output = \"out/").append(n++).append("\"\n");
    }
    Files.writeString(work.resolve("urls.cfg"), config);
    var r = curl("--parallel", "--parallel-max", "8", "--create-dirs", "--config", "urls.cfg");
    assertEquals(0, r.exit(), r.describe());
    n = 0;
    for (var e : files.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(work.resolve("out/" + n++)), e.getKey());
    }
  }

  @Test
  void curlOverHttpsTrustsThePinnedKeyAndNoOther() throws Exception {
    var tls = ServerTls.loadOrCreate(server.outside().resolve("tls-key.p12"));
    server.start(b -> b.tls(tls));
    byte[] data = TestFiles.random(300_000, 16);
    serve("报告.pdf", data);
    String u = url("报告.pdf").replace("http://", "https://");
    String pin = "sha256//" + tls.fingerprint().substring("SHA256:".length()) + "=";

    var r = curl("--insecure", "--pinnedpubkey", pin, "-o", "tls.pdf", u);
    assertEquals(0, r.exit(), r.describe());
    assertArrayEquals(data, Files.readAllBytes(work.resolve("tls.pdf")));

    String other = "sha256//" + "A".repeat(43) + "=";
    var refused = curl("--insecure", "--pinnedpubkey", other, "-o", "other.pdf", u);
    assertEquals(90, refused.exit(), "curl's exit for a pin mismatch: " + refused.describe());
    assertTrue(Files.notExists(work.resolve("other.pdf")), "nothing was written");
  }

  @Test
  void curlAndWgetTakeTheTokenFromNetrcAndMirrorBehindIt() throws Exception {
    String token = "k2Wq7Xr0c5Jm3Vn8Tb1Yh6Ld9Pf4Gs0Az2Ue7Ro5Ii3";
    server.start(b -> b.accessToken(AccessToken.of(token)));
    serveTree();
    var none = curl("-o", "none.txt", url("readme.txt"));
    assertEquals(22, none.exit(), "401 without the token: " + none.describe());

    // ExternalTool gives each tool HOME=work/.home: the ~/.netrc both read.
    Path netrc = Files.createDirectories(work.resolve(".home")).resolve(".netrc");
    Files.writeString(netrc, "machine 127.0.0.1 login lanfetch password " + token + "\n");
    Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
    var r = curl("--netrc", "-o", "readme.txt", url("readme.txt"));
    assertEquals(0, r.exit(), r.describe());
    assertArrayEquals(TREE.get("readme.txt"), Files.readAllBytes(work.resolve("readme.txt")));

    var mirror = wget("-r", "-np", "-nH", "-R", "index.html*", "-P", "mirror", url(""));
    assertEquals(0, mirror.exit(), mirror.describe());
    assertTreeEquals(TREE, work.resolve("mirror"));
  }

  @Test
  void wgetContinuesACutDownload() throws Exception {
    byte[] data = TestFiles.random(3 * 1024 * 1024, 15);
    serve("视频 #1.bin", data);
    try (var proxy = FaultProxy.cut(server.address().getPort(), 700_000)) {
      String u = url(proxy.socketAddress().getPort(), "视频 #1.bin");
      var cut = wget("--tries=1", "-P", "dl", u);
      assertNotEquals(0, cut.exit(), "the first download was cut: " + cut.describe());
      Path local = work.resolve("dl/视频 #1.bin");
      long partial = Files.size(local);
      assertTrue(partial > 0 && partial < data.length, "partial file of " + partial + " bytes");

      var resumed = wget("-c", "--server-response", "-P", "dl", u);
      assertEquals(0, resumed.exit(), resumed.describe());
      assertTrue(resumed.err().contains("HTTP/1.1 206"), resumed.describe());
      assertArrayEquals(data, Files.readAllBytes(local));
    }
  }

  @Test
  void wgetMirrorsTheTreeFromTheListing() throws Exception {
    serveTree();
    var r = wget("-r", "-np", "-nH", "-R", "index.html*", "-P", "mirror", url(""));
    assertEquals(0, r.exit(), r.describe());
    assertTreeEquals(TREE, work.resolve("mirror"));
  }

  @Test
  void wgetMirrorsOneDirectoryWithCutDirs() throws Exception {
    serveTree();
    var r =
        wget(
            "-r",
            "-np",
            "-nH",
            "--cut-dirs=1",
            "-R",
            "index.html*",
            "-P",
            "mirror",
            url("报告 2026/"));
    assertEquals(0, r.exit(), r.describe());
    var expected = new TreeMap<String, byte[]>();
    TREE.forEach(
        (k, v) -> {
          if (k.startsWith("报告 2026/")) {
            expected.put(k.substring("报告 2026/".length()), v);
          }
        });
    assertTreeEquals(expected, work.resolve("mirror"));
  }

  /** The same files with the same bytes, and no other file (hidden ones, listings) in the copy. */
  static void assertTreeEquals(Map<String, byte[]> expected, Path copy) throws IOException {
    var found = new TreeMap<String, byte[]>();
    try (Stream<Path> s = Files.walk(copy)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        found.put(copy.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    assertEquals(expected.keySet(), found.keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, found.get(k), k));
  }
}
