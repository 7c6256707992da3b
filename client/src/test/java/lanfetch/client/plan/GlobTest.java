package lanfetch.client.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shell-style patterns over server names. */
class GlobTest {
  @Test
  void globs() {
    assertTrue(Glob.compile("logs/*.gz").matches("logs/a.gz"));
    assertFalse(Glob.compile("logs/*.gz").matches("logs/old/a.gz"));
    assertTrue(Glob.compile("**/*.jpg").matches("top.jpg"));
    assertTrue(Glob.compile("**/*.jpg").matches("a/b/c.jpg"));
    assertTrue(Glob.compile("f?.[ab]").matches("f1.a"));
    assertFalse(Glob.compile("f?.[!ab]").matches("f1.a"));
    assertTrue(Glob.compile("a+b(*)").matches("a+b(x)"));
    assertEquals("logs/2026", Glob.compile("logs/2026/*.gz").baseDirectory());
    assertFalse(Glob.compile("logs/*.gz").recursive());
    assertTrue(Glob.compile("logs/*/x.gz").recursive());
    assertFalse(Glob.isPattern("[接收]a.txt"));
    assertFalse(Glob.isPattern("literal\\*star"));
  }
}
