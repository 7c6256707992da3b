package lanfetch.client.transfer;

import java.util.Set;
import lanfetch.client.FileFailure;

/** Which per-file failures are worth another attempt. */
final class Retry {
  private Retry() {}

  /** Failures of the connection or of the server's data, not of the file's existence or the local disk. */
  private static final Set<String> TRANSIENT = Set.of(FileFailure.CONNECTION, FileFailure.SHORT_BODY,
      FileFailure.BAD_BODY, FileFailure.PROTOCOL, FileFailure.CHANGED,
      FileFailure.CHECKSUM_MISMATCH, FileFailure.REFUSED);

  static boolean mayPass(FileFailure failure) {
    return TRANSIENT.contains(failure.code());
  }
}
