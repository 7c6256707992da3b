package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The progress display is off on a pipe. */
class TerminalTest {
  @Test
  void stderrOfATestRunIsAPipeSoNoBarIsDrawn() {
    assertFalse(Terminal.stderrIsTerminal());
  }
}
