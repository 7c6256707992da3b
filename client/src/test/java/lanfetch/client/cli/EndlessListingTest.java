package lanfetch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import lanfetch.client.ExitCodes;
import lanfetch.client.ServerAddress;
import lanfetch.client.net.ListingLimit;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.testing.FakeServer.Fault;
import lanfetch.client.testing.FakeServerTest;
import lanfetch.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LIST answer that never ends stops the client with exit code 5 instead of filling memory. */
class EndlessListingTest extends FakeServerTest {
  @TempDir Path dir;

  @Test
  void listStopsAtTheEntryLimit() {
    server.enqueue(Fault.ENDLESS_LISTING.named("f"));
    var r = Cli.run("list", server.address(), "-r");
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("ran past 1000000 entries without ending"), r::toString);
    assertEquals("", r.out(), r::toString);
  }

  @Test
  void recursiveGetStopsWithItsSummary() throws Exception {
    server.enqueue(Fault.ENDLESS_LISTING.named("logs/a.gz"));
    var r = Cli.run("get", server.address(), "-r", "logs", "-o", dir.toString(), "--json");
    assertEquals(ExitCodes.PROTOCOL, r.exit(), r::toString);
    assertEquals(5L, r.events("summary").get(0).get("exit_code"), r::toString);
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing written");
    }
  }

  @Test
  void nameBytesAreCappedToo() throws Exception {
    server.enqueue(Fault.ENDLESS_LISTING.named("x".repeat(200)));
    try (var c =
        ServerConnection.open(ServerAddress.parse(server.address()), Duration.ofSeconds(30))) {
      var e =
          assertThrows(
              ProtocolException.class,
              () -> c.list("", false, new ListingLimit(1_000_000, 100_000)));
      assertTrue(e.getMessage().contains("ran past 97.7 KiB of names"), e.getMessage());
    }
  }
}
