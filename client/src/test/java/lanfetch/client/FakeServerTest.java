package lanfetch.client;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of tests that talk to a fresh {@link FakeServer} on loopback port 0. */
abstract class FakeServerTest {
  FakeServer server;

  @BeforeEach
  void startFakeServer() throws IOException {
    server = FakeServer.start();
  }

  @AfterEach
  void stopFakeServer() throws IOException {
    server.close();
  }
}
