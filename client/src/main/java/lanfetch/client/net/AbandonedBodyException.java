package lanfetch.client.net;

import java.io.IOException;
import lanfetch.client.FileFailure;

/**
 * A body nobody will keep was too long to read and drop, so the connection is given up instead; the
 * other requests on it go back to the queue.
 */
public final class AbandonedBodyException extends IOException {
  private final FileFailure failure;

  /**
   * @param failure why the body's file failed, or null if the file is simply started over
   */
  AbandonedBodyException(FileFailure failure) {
    super("dropped the connection rather than read a body nobody keeps");
    this.failure = failure;
  }

  /** Why the file failed; null when it is to be fetched again from the start. */
  public FileFailure failure() {
    return failure;
  }
}
