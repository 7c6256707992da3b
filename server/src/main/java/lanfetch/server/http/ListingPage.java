package lanfetch.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import lanfetch.protocol.Entry;
import lanfetch.protocol.Names;
import lanfetch.protocol.PeerText;

/**
 * A directory listing for HTTP clients: an HTML page for people (browsers and phones, and {@code
 * wget -r} following its links) and JSON for programs.
 *
 * <p>The page needs no JavaScript, no images and no other request: its CSS is inline, so it works
 * under {@code Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'}. Every link
 * is relative ({@code name}, {@code sub/}, {@code ../}), so the page also works behind a proxy that
 * serves it under a prefix, and is percent-encoded from UTF-8 by {@link PercentEncoding}. The page
 * links to nothing but the tree (the download link is the file's own link with the {@code download}
 * attribute; no link to {@code ?json} or {@code ?download}): {@code wget -r} follows every link,
 * even {@code rel="nofollow"} ones and {@code <link rel="alternate">}, and a mirror must hold the
 * served files and nothing else. Every name shown is HTML-escaped, with the characters {@link
 * PeerText} escapes on a terminal (controls, bidi overrides) shown as {@code \\uXXXX}, so a name
 * cannot pass for another.
 */
final class ListingPage {
  private ListingPage() {}

  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MACHINE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Kept in step with {@link ErrorPage}'s colours. */
  static final String STYLE =
      """
      :root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--link:#0969da;\
      --bg:#fff;--hover:#f6f8fa}
      @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;\
      --link:#4493f8;--bg:#0d1117;--hover:#151b23}}
      *{box-sizing:border-box}
      body{margin:0 auto;max-width:64rem;padding:1rem;color:var(--fg);background:var(--bg);\
      font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",\
      "PingFang SC","Microsoft YaHei",sans-serif;-webkit-text-size-adjust:100%}
      a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
      h1{font-size:1.25rem;font-weight:600;margin:.25rem 0 1rem;overflow-wrap:anywhere}
      h1 .at{color:var(--muted);font-weight:400}
      h1 nav{display:inline}
      table{width:100%;border-collapse:collapse}
      th{text-align:left;font-size:.8125rem;font-weight:600;color:var(--muted);\
      padding:.375rem .5rem;border-bottom:1px solid var(--line)}
      td{padding:.5rem;border-bottom:1px solid var(--line);vertical-align:baseline}
      tbody tr:hover{background:var(--hover)}
      .name{width:100%;overflow-wrap:anywhere;word-break:break-word}
      .name a{display:block}
      .dir .name a{font-weight:600}
      .size,.time,.get{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums}
      .size{text-align:right}
      .get a{padding:0 .25rem}
      .empty{color:var(--muted);font-style:italic}
      .vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
      footer{margin-top:1rem;font-size:.8125rem;color:var(--muted)}
      @media (max-width:40rem){
      body{padding:.75rem}
      thead{display:none}
      table,tbody,tr,td{display:block}
      tr{padding:.5rem .25rem;border-bottom:1px solid var(--line)}
      td{padding:0;border:0}
      .name a{padding:.125rem 0}
      .size,.time,.get{display:inline-block;font-size:.8125rem;text-align:left;margin-right:1rem}
      .get a{padding:0}
      .dir .size{display:none}
      }
      """;

  /**
   * The HTML page for a directory, whole: {@link Html}'s head, rows and foot together.
   *
   * @param directory the directory's segments from the served root, empty for the root (a final
   *     empty segment, as {@link PercentEncoding#decodePath} gives for the trailing slash, is
   *     ignored)
   * @param entries what LIST gives for it, in the server's order; shown directories first
   */
  static byte[] html(List<String> directory, List<Entry> entries) {
    var page = new Html(directory);
    var all = new Utf8(4096 + entries.size() * 320);
    all.append(page.head());
    all.append(page.rows(entries.stream().filter(Entry::isDirectory).toList()));
    all.append(page.rows(entries.stream().filter(e -> !e.isDirectory()).toList()));
    all.append(page.foot());
    return all.toByteArray();
  }

  /**
   * The HTML page of one directory, rendered as the listing comes: {@link #head()}, then {@link
   * #rows} for each part of the listing (the directories first, then the files), then {@link
   * #foot()}, which counts what the rows showed. Holds no entry, so a directory of any size costs
   * the size of one part.
   */
  static final class Html {
    private final List<String> dir;
    private int directories;
    private int files;
    private long bytes;

    /**
     * @param directory as for {@link ListingPage#html}
     */
    Html(List<String> directory) {
      this.dir = withoutTrailingSlash(directory);
    }

    /** Everything before the first row. */
    byte[] head() {
      var h = new Utf8(4096);
      String path = displayPath(dir);
      h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
          .append("<title>Index of ")
          .append(escape(path))
          .append("</title>\n<style>\n")
          .append(STYLE)
          .append("</style>\n</head>\n<body>\n");
      breadcrumbs(h, dir);
      h.append("<main>\n<table>\n<thead><tr><th class=\"name\">Name</th>")
          .append("<th class=\"size\">Size</th><th class=\"time\">Modified (UTC)</th>")
          .append(
              "<th class=\"get\"><span class=\"vh\">Download</span></th></tr></thead>\n<tbody>\n");
      if (!dir.isEmpty()) {
        h.append("<tr class=\"up\"><td class=\"name\" colspan=\"4\">")
            .append("<a href=\"../\" rel=\"up\">../</a></td></tr>\n");
      }
      return h.toByteArray();
    }

    /** The rows of {@code entries}, in their order; empty for none. */
    byte[] rows(List<Entry> entries) {
      var h = new Utf8(entries.size() * 320);
      for (Entry e : entries) {
        row(h, e);
        if (e.isDirectory()) {
          directories++;
        } else {
          files++;
          bytes += e.size();
        }
      }
      return h.toByteArray();
    }

    /** Everything after the last row: the counts of what the rows showed. */
    byte[] foot() {
      var h = new Utf8(512);
      if (directories + files == 0) {
        h.append("<tr><td class=\"empty\" colspan=\"4\">This directory is empty.</td></tr>\n");
      }
      h.append("</tbody>\n</table>\n</main>\n<footer>");
      h.append(count(directories, "directory", "directories"))
          .append(", ")
          .append(count(files, "file", "files"));
      if (files > 0) {
        h.append(", ").append(escape(humanSize(bytes)));
      }
      h.append(" · served by lanfetch</footer>\n</body>\n</html>\n");
      return h.toByteArray();
    }
  }

  /**
   * The listing as a JSON array holding, one per line, the objects {@code lanfetch list --json}
   * prints for the same directory ({@code name} from the served root, {@code type}, {@code size},
   * {@code mtime_ms}, {@code mtime}), in the server's order: {@code jq -c '.[]'} gives that
   * command's output. {@link Json}'s parts together.
   */
  static byte[] json(List<String> directory, List<Entry> entries) {
    var page = new Json(directory);
    var all = new Utf8(16 + entries.size() * 160);
    return all.append(page.head()).append(page.rows(entries)).append(page.foot()).toByteArray();
  }

  /** The JSON listing rendered as it comes, as {@link Html} renders the page. */
  static final class Json {
    private final String dir;
    private String separator = "\n";

    Json(List<String> directory) {
      this.dir = String.join("/", withoutTrailingSlash(directory));
    }

    byte[] head() {
      return new byte[] {'['};
    }

    byte[] rows(List<Entry> entries) {
      var j = new Utf8(entries.size() * 160);
      var line = new StringBuilder(256);
      for (Entry e : entries) {
        line.setLength(0);
        line.append(separator).append("{\"name\":");
        PeerText.appendJson(line, Names.join(dir, e.name()));
        line.append(",\"type\":\"")
            .append(e.isDirectory() ? "directory" : "file")
            .append("\",\"size\":")
            .append(e.size())
            .append(",\"mtime_ms\":")
            .append(e.modifiedMillis())
            .append(",\"mtime\":\"")
            .append(Instant.ofEpochMilli(e.modifiedMillis()))
            .append("\"}");
        j.append(line);
        separator = ",\n";
      }
      return j.toByteArray();
    }

    byte[] foot() {
      return (separator.equals("\n") ? "]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static void breadcrumbs(Utf8 h, List<String> dir) {
    h.append("<header>\n<h1><span class=\"at\">Index of </span><nav aria-label=\"Path\">");
    int depth = dir.size();
    crumb(h, "/", depth);
    for (int i = 0; i < depth; i++) {
      crumb(h, dir.get(i) + "/", depth - 1 - i);
    }
    h.append("</nav></h1>\n</header>\n");
  }

  /** A link {@code up} levels above the page, or the page's own name as plain text. */
  private static void crumb(Utf8 h, String text, int up) {
    if (up == 0) {
      h.append("<span aria-current=\"page\">").append(escape(text)).append("</span>");
    } else {
      h.append("<a href=\"")
          .append("../".repeat(up))
          .append("\">")
          .append(escape(text))
          .append("</a>");
    }
  }

  private static void row(Utf8 h, Entry e) {
    String href = href(e);
    String shown = escape(e.name() + (e.isDirectory() ? "/" : ""));
    h.append(e.isDirectory() ? "<tr class=\"dir\">" : "<tr class=\"file\">")
        .append("<td class=\"name\"><a href=\"")
        .append(href)
        .append("\">")
        .append(shown)
        .append("</a></td>");
    if (e.isDirectory()) {
      h.append("<td class=\"size\">-</td>");
    } else {
      h.append("<td class=\"size\" title=\"")
          .append(e.size())
          .append(e.size() == 1 ? " byte" : " bytes")
          .append("\">")
          .append(escape(humanSize(e.size())))
          .append("</td>");
    }
    Instant t = Instant.ofEpochMilli(e.modifiedMillis());
    h.append("<td class=\"time\"><time datetime=\"")
        .append(escape(MACHINE.format(t)))
        .append("\">")
        .append(escape(SHOWN.format(t)))
        .append("</time></td><td class=\"get\">");
    if (!e.isDirectory()) {
      h.append("<a href=\"")
          .append(href)
          .append("\" download aria-label=\"Download ")
          .append(shown)
          .append("\">download</a>");
    }
    h.append("</td></tr>\n");
  }

  /** The entry's relative link, each segment encoded, a directory's ending in {@code /}. */
  private static String href(Entry e) {
    var sb = new StringBuilder(e.name().length() * 3);
    String[] segments = e.name().split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(PercentEncoding.encodeSegment(segments[i]));
    }
    return e.isDirectory() ? sb.append('/').toString() : sb.toString();
  }

  private static String displayPath(List<String> dir) {
    var sb = new StringBuilder("/");
    dir.forEach(s -> sb.append(s).append('/'));
    return sb.toString();
  }

  private static List<String> withoutTrailingSlash(List<String> directory) {
    if (!directory.isEmpty() && directory.get(directory.size() - 1).isEmpty()) {
      return directory.subList(0, directory.size() - 1);
    }
    return directory;
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** 1023 B, 1.0 KiB, 1.5 MiB: as the lanfetch client shows sizes. */
  static String humanSize(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    long tenths = Math.round(v * 10);
    if (tenths >= 10240 && i < units.length - 1) { // 1023.96 KiB shows as 1.0 MiB, not 1024.0 KiB
      tenths = Math.round(v / 1024 * 10);
      i++;
    }
    return tenths / 10 + "." + tenths % 10 + " " + units[i];
  }

  /**
   * Text a peer chose, safe in HTML text and in a quoted attribute: the characters {@link
   * PeerText#escape} escapes shown as {@code \\uXXXX}, then {@code & < > " '} as entities.
   */
  static String escape(String text) {
    String shown = PeerText.escape(text);
    var sb = new StringBuilder(shown.length() + 16);
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A page's UTF-8 bytes, appended as they are made: a listing of a large directory is held once,
   * as bytes, rather than as a StringBuilder's UTF-16, then a String, then bytes.
   */
  private static final class Utf8 {
    private byte[] buf;
    private int size;

    Utf8(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    Utf8 append(CharSequence s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          byte[] rest = s.subSequence(i, n).toString().getBytes(StandardCharsets.UTF_8);
          room(rest.length);
          System.arraycopy(rest, 0, buf, size, rest.length);
          size += rest.length;
          return this;
        }
        buf[size++] = (byte) c;
      }
      return this;
    }

    Utf8 append(byte[] bytes) {
      room(bytes.length);
      System.arraycopy(bytes, 0, buf, size, bytes.length);
      size += bytes.length;
      return this;
    }

    Utf8 append(long v) {
      return append(Long.toString(v));
    }

    private void room(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length + (buf.length >> 1), size + more));
      }
    }

    byte[] toByteArray() {
      return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
  }
}
