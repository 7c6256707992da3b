package lanfetch.client.testing;

import java.io.IOException;

/**
 * The older name of {@link lanfetch.testing.FaultProxy} with its cutting constructor, kept so that
 * tests written against it on branches in flight still compile; new tests use {@code
 * lanfetch.testing.FaultProxy.cut(port, n)} (or {@code stall}, {@code dribble}).
 */
public final class FaultProxy extends lanfetch.testing.FaultProxy {
  /** Cuts the first connection after {@code cutAfter} bytes from the server to the client. */
  public FaultProxy(int upstreamPort, long cutAfter) throws IOException {
    super(upstreamPort, Effect.CUT, cutAfter);
  }
}
