package lanfetch.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lanfetch.server.ServerExtension;
import lanfetch.server.security.ServerTls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser, headless Chromium from the system's packages, loads listings and a file from a
 * real server; the tests read the DOM it dumps, and leave screenshots at phone and desktop width in
 * {@code target/browser/} for people to look at.
 */
class BrowserTest {
  @RegisterExtension final ServerExtension server = ServerExtension.create();
  @TempDir Path work;
  ExternalTool chromium;

  static final String HOSTILE = "<img src=x onerror=alert(1)>.txt";

  @BeforeEach
  void setUp() throws Exception {
    chromium = ExternalTool.require("chromium", "chromium");
    Path root = server.root();
    Files.createDirectories(root.resolve("报告 2026/季度 #1"));
    Files.writeString(root.resolve("报告 2026/季度 #1/数据.csv"), "季度,金额\n1,100\n");
    Files.writeString(root.resolve("报告 2026/说明.txt"), "这是一份说明。 plain text\n");
    Files.createDirectories(root.resolve("photos"));
    Files.writeString(root.resolve(HOSTILE), "x");
    Files.write(root.resolve("big.bin"), new byte[5 * 1024 * 1024]);
    Files.writeString(root.resolve(".hidden"), "not served");
  }

  private String url(String name) {
    return RealClientsTest.url(server.address().getPort(), name);
  }

  /** Flags for a headless run as root, in a container, with nothing kept between runs. */
  private List<String> flags(String... more) {
    var f =
        new ArrayList<>(
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--no-proxy-server",
                "--hide-scrollbars",
                "--user-data-dir=" + work.resolve("profile")));
    f.addAll(List.of(more));
    return f;
  }

  private String dom(String url) throws Exception {
    return dom(url, List.of());
  }

  private String dom(String url, List<String> more) throws Exception {
    var args = flags("--dump-dom");
    args.addAll(more);
    args.add(url);
    var r = chromium.run(work, args);
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.out().contains("</html>"), r.describe());
    return r.out();
  }

  /**
   * The DOM, and screenshots at phone and at desktop width kept under target/browser/ (the phone
   * one taken by the same run that dumps the DOM).
   */
  private String domAndScreenshots(String name, String url) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "browser"));
    Path phone = dir.resolve(name + "-390.png");
    Path desktop = dir.resolve(name + "-1280.png");
    Files.deleteIfExists(phone);
    Files.deleteIfExists(desktop);
    String dom =
        dom(url, List.of("--window-size=390,844", "--screenshot=" + phone.toAbsolutePath()));
    var r =
        chromium.run(
            work, flags("--window-size=1280,800", "--screenshot=" + desktop.toAbsolutePath(), url));
    assertEquals(0, r.exit(), r.describe());
    for (Path png : List.of(phone, desktop)) {
      byte[] bytes = Files.readAllBytes(png);
      assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N', png + " is a PNG");
    }
    return dom;
  }

  @Test
  void theRootListingShowsEveryNameAsTextWithWorkingLinks() throws Exception {
    String dom = domAndScreenshots("root", url(""));
    assertTrue(dom.contains("<title>Index of /</title>"), dom);
    assertTrue(dom.contains("href=\"%E6%8A%A5%E5%91%8A%202026/\">报告 2026/</a>"), dom);
    assertTrue(dom.contains("href=\"photos/\">photos/</a>"), dom);
    assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), dom);
    assertFalse(dom.contains("<img"), "the hostile name became an element: " + dom);
    assertFalse(dom.contains(".hidden"), dom);
    assertTrue(dom.indexOf("photos/") < dom.indexOf("big.bin"), "directories first: " + dom);
    assertTrue(dom.contains("5.0 MiB"), dom);
  }

  @Test
  void aNestedChineseDirectoryListsWithBreadcrumbs() throws Exception {
    String dom = domAndScreenshots("nested", url("报告 2026/季度 #1/"));
    assertTrue(dom.contains("<title>Index of /报告 2026/季度 #1/</title>"), dom);
    assertTrue(dom.contains("href=\"%E6%95%B0%E6%8D%AE.csv\">数据.csv</a>"), dom);
    assertTrue(dom.contains("<a href=\"../../\">/</a><a href=\"../\">报告 2026/</a>"), dom);
    assertTrue(dom.contains("rel=\"up\""), dom);
  }

  @Test
  void aTextFileShowsItsUtf8Content() throws Exception {
    String dom = dom(url("报告 2026/说明.txt"));
    assertTrue(dom.contains("这是一份说明。 plain text"), dom);
  }

  @Test
  void aDirectoryWithoutTheSlashLandsOnItsListing() throws Exception {
    String dom = dom(url("报告 2026"));
    assertTrue(dom.contains("<title>Index of /报告 2026/</title>"), dom);
    assertTrue(dom.contains(">说明.txt</a>"), dom);
  }

  @Test
  void overHttpsWithTheKeyPinnedByItsFingerprint() throws Exception {
    var tls = ServerTls.loadOrCreate(server.outside().resolve("tls-key.p12"));
    server.start(b -> b.tls(tls));
    String spki = tls.fingerprint().substring("SHA256:".length()) + "=";
    String u = url("报告 2026/").replace("http://", "https://");
    String dom = dom(u, List.of("--ignore-certificate-errors-spki-list=" + spki));
    assertTrue(dom.contains("<title>Index of /报告 2026/</title>"), dom);
  }

  @Test
  void aMissingFileShowsTheErrorPage() throws Exception {
    String dom = dom(url("没有.txt"));
    assertTrue(dom.contains("<h1>404 Not Found</h1>"), dom);
  }
}
