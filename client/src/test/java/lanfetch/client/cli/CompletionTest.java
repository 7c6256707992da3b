package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code source <(lanfetch generate-completion)}, as README shows it, completes every command. */
class CompletionTest {
  @Test
  void theScriptKnowsEveryCommandAndItsOptions() {
    var r = Cli.run("generate-completion");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("local commands=\"get list help generate-completion\""), r.out());
    assertTrue(r.out().contains("--skip-existing"), "get's options");
    assertTrue(r.out().contains("--known-hosts"), "the connection options");
  }
}
