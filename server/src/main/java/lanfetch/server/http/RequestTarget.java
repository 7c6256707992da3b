package lanfetch.server.http;

import java.util.List;

/**
 * A request target ({@code /docs/%E6%8A%A5%E5%91%8A.pdf?download}) taken apart: the path decoded
 * exactly once by {@link PercentEncoding#decodePath} (which refuses what could be read as another
 * name), whether it ends in a slash, and the query's flags. The name then goes through the lanfetch
 * protocol's naming rules and confinement, as a lanfetch request's would.
 *
 * @param segments the decoded segments from the served root, none for the root itself
 * @param slash whether the path ends in a slash (the directory form)
 * @param query the raw query after '?', or null
 */
record RequestTarget(List<String> segments, boolean slash, String query) {
  /**
   * @throws MalformedPathException for a target that is not a path, or a path that does not decode
   *     to plain names
   */
  static RequestTarget parse(String target) throws MalformedPathException {
    String t = target;
    int scheme = t.indexOf("://");
    if (!t.startsWith("/") && scheme > 0 && t.substring(0, scheme).matches("(?i)https?")) {
      // The absolute form, which servers must accept (RFC 9112, section 3.2.2).
      int path = t.indexOf('/', scheme + 3);
      t = path < 0 ? "/" : t.substring(path);
    }
    if (!t.startsWith("/")) {
      throw new MalformedPathException("request target is not a path: " + quoted(target));
    }
    int q = t.indexOf('?');
    String rawPath = q < 0 ? t : t.substring(0, q);
    String query = q < 0 ? null : t.substring(q + 1);
    List<String> decoded = PercentEncoding.decodePath(rawPath);
    boolean slash = decoded.isEmpty() || decoded.get(decoded.size() - 1).isEmpty();
    List<String> segments = slash ? decoded.subList(0, Math.max(0, decoded.size() - 1)) : decoded;
    for (String s : segments) {
      if (s.isEmpty()) {
        throw new MalformedPathException("empty segment in path " + quoted(rawPath));
      }
    }
    return new RequestTarget(List.copyOf(segments), slash, query);
  }

  private static String quoted(String s) {
    return lanfetch.protocol.PeerText.quote(s.length() > 200 ? s.substring(0, 200) + "..." : s);
  }

  /** The name a lanfetch request would carry: segments joined with '/', "" for the root. */
  String name() {
    return String.join("/", segments);
  }

  /** Where a directory asked for without its slash is redirected: the same, slash added. */
  String slashForm() {
    var b = new StringBuilder();
    for (String s : segments) {
      b.append('/').append(PercentEncoding.encodeSegment(s));
    }
    b.append('/');
    if (query != null && query.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      b.append('?').append(query);
    }
    return b.toString();
  }

  /** Whether {@code ?download} was asked for: the file comes as an attachment. */
  boolean download() {
    return hasKey(query, "download");
  }

  /** Whether the raw target's query has {@code key}, with or without a value. */
  static boolean hasQueryKey(String target, String key) {
    int q = target.indexOf('?');
    return q >= 0 && hasKey(target.substring(q + 1), key);
  }

  private static boolean hasKey(String query, String key) {
    if (query == null) {
      return false;
    }
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      if ((eq < 0 ? param : param.substring(0, eq)).equals(key)) {
        return true;
      }
    }
    return false;
  }
}
