package lanfetch.client.plan;

import java.util.regex.Pattern;

/**
 * Shell-style patterns over server names: {@code *} and {@code ?} stay within one segment, {@code
 * **} crosses segments ({@code **}{@code /} also matches no directory at all), and {@code [abc]} /
 * {@code [!abc]} are character classes. A name is a pattern only if it holds an unescaped {@code *}
 * or {@code ?}; names with brackets alone are taken literally, since downloaded files such as
 * {@code [接收]a.txt} have brackets in them. A backslash escapes the next character (names cannot
 * contain backslashes).
 */
public record Glob(String pattern, String baseDirectory, boolean recursive, Pattern regex) {

  public static boolean isPattern(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?') {
        return true;
      }
    }
    return false;
  }

  public static Glob compile(String pattern) {
    int firstWild = firstWildcard(pattern);
    int slash = pattern.lastIndexOf('/', firstWild);
    String base = slash < 0 ? "" : unescape(pattern.substring(0, slash));
    boolean recursive = pattern.indexOf('/', firstWild) >= 0 || pattern.contains("**");
    return new Glob(pattern, base, recursive, Pattern.compile(toRegex(pattern)));
  }

  public boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return i;
      }
    }
    return pattern.length();
  }

  private static String unescape(String s) {
    return s.replaceAll("\\\\(.)", "$1");
  }

  static String toRegex(String glob) {
    var re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean dirs = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(dirs ? "(?:.*/)?" : ".*");
        i += dirs ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int close = glob.indexOf(']', i + 2);
        String body = glob.substring(i + 1, close);
        boolean negate = body.startsWith("!");
        re.append('[').append(negate ? "^/" : "");
        for (char ch : (negate ? body.substring(1) : body).toCharArray()) {
          re.append(ch == '-' || Character.isLetterOrDigit(ch) ? "" : "\\").append(ch);
        }
        re.append(']');
        i = close;
      } else if (c == '\\' && i + 1 < glob.length()) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
