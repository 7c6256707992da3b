package lanfetch.client.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal finally shows after some output: applies printable characters, carriage return,
 * line feed, backspace and the CSI sequences a progress bar uses (erase in line, cursor up, down
 * and to a column) to a list of lines. One cell per code point; wide characters are measured by the
 * code under test, not here.
 */
final class ScreenModel {
  private final List<StringBuilder> lines = new ArrayList<>(List.of(new StringBuilder()));
  private int row;
  private int col;

  static List<String> of(byte[] raw) {
    var model = new ScreenModel();
    model.apply(new String(raw, StandardCharsets.UTF_8));
    return model.lines();
  }

  void apply(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '\r' -> col = 0;
        case '\n' -> moveTo(row + 1);
        case '\b' -> col = Math.max(0, col - 1);
        case 0x1B -> i = escape(s, i);
        default -> {
          if (cp >= 0x20) {
            put(cp);
          }
        }
      }
    }
  }

  /** Applies the sequence after ESC at {@code i}; returns the index after it. */
  private int escape(String s, int i) {
    if (i >= s.length() || s.charAt(i) != '[') {
      return Math.min(s.length(), i + 1); // a two-character escape: nothing a screen keeps
    }
    int j = i + 1;
    while (j < s.length() && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7E)) {
      j++;
    }
    if (j >= s.length()) {
      return j;
    }
    String params = s.substring(i + 1, j).replace("?", "");
    int n = params.isEmpty() || !params.matches("\\d+") ? -1 : Integer.parseInt(params);
    switch (s.charAt(j)) {
      case 'K' -> erase(n == -1 ? 0 : n);
      case 'A' -> moveTo(Math.max(0, row - Math.max(1, n)));
      case 'B' -> moveTo(row + Math.max(1, n));
      case 'G' -> col = Math.max(0, n - 1);
      default -> {} // colours, cursor visibility: not what the screen holds
    }
    return j + 1;
  }

  private void moveTo(int r) {
    row = r;
    while (lines.size() <= row) {
      lines.add(new StringBuilder());
    }
  }

  private void erase(int mode) {
    StringBuilder line = lines.get(row);
    if (mode == 2) {
      line.setLength(0);
    } else if (mode == 0 && line.codePointCount(0, line.length()) > col) {
      line.setLength(line.offsetByCodePoints(0, col));
    }
  }

  private void put(int cp) {
    StringBuilder line = lines.get(row);
    while (line.codePointCount(0, line.length()) < col) {
      line.append(' ');
    }
    int start = line.offsetByCodePoints(0, col);
    if (start < line.length()) {
      int end = line.offsetByCodePoints(start, 1);
      line.replace(start, end, new String(Character.toChars(cp)));
    } else {
      line.appendCodePoint(cp);
    }
    col++;
  }

  List<String> lines() {
    var out = new ArrayList<String>();
    for (StringBuilder b : lines) {
      out.add(b.toString().stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
