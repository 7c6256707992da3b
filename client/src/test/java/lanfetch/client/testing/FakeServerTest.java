package lanfetch.client.testing;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of tests that talk to a fresh {@link FakeServer} on loopback port 0. */
public abstract class FakeServerTest {
  public FakeServer server;

  @BeforeEach
  public void startFakeServer() throws IOException {
    server = FakeServer.start();
  }

  @AfterEach
  public void stopFakeServer() throws IOException {
    server.close();
  }
}
