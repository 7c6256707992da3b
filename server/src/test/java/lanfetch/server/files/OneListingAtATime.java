package lanfetch.server.files;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import lanfetch.protocol.Wire;

/**
 * Tests only: a {@link RequestHandler} whose listing budget admits one listing at a time, and that
 * runs a hook each time a listing gives its place back, before the thread that gave it back goes
 * on. The hook can let another listing take the place there, which is what a busy server's other
 * workers do at any moment: a test then sees deterministically what a caller that lists in two
 * admissions would see between them.
 */
public final class OneListingAtATime {
  private OneListingAtATime() {}

  /**
   * @param realRoot the served directory's real path
   * @param afterRelease runs on the listing's thread right after its place is free again
   */
  public static RequestHandler handler(Path realRoot, Runnable afterRelease) {
    var permits =
        new Semaphore(Listing.HELD_PER_LISTING) {
          @Override
          public void release(int n) {
            super.release(n);
            afterRelease.run();
          }
        };
    return new RequestHandler(
        Confinement.of(realRoot, false, false),
        new HashCache(),
        Wire.MAX_FRAME_SIZE,
        new Listing.Budget(permits));
  }
}
