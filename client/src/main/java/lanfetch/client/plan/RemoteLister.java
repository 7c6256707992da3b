package lanfetch.client.plan;

import java.io.IOException;
import java.util.List;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.net.ServerConnection;
import lanfetch.protocol.Entry;
import lanfetch.protocol.Message;
import lanfetch.protocol.ProtocolException;

/**
 * Lists directories over one connection, opened on first use and kept for further listings. A
 * failure of the connection that may pass is retried on a new one, as downloads are; one that
 * persists stops the command. A refused directory is a per-name {@link FileFailure}.
 */
public final class RemoteLister implements Planner.Lister, AutoCloseable {
  private final Settings settings;
  private volatile ServerConnection connection;
  private volatile boolean closed;

  public RemoteLister(Settings settings) {
    this.settings = settings;
  }

  @Override
  public List<Entry> list(String directory, boolean recursive)
      throws IOException, InterruptedException {
    return call(c -> c.list(directory, recursive));
  }

  /** STATs names: per name a StatResult or a non-closing ErrorMessage. */
  List<Message> stat(List<String> names) throws IOException, InterruptedException {
    return call(c -> c.stat(names));
  }

  private interface Call<T> {
    T on(ServerConnection c) throws IOException;
  }

  /**
   * Runs {@code call}, again on a new connection after a failure that may pass (BUSY: the server is
   * at its budget of listings; a lost connection), as many times as the settings allow: a listing
   * is only a question, asking again is safe. Opening a connection counts its own retries.
   */
  private <T> T call(Call<T> call) throws IOException, InterruptedException {
    for (int failures = 0; ; ) {
      ServerConnection c = connection();
      try {
        return attempt(call, c);
      } catch (RunException e) {
        if (!e.retryable() || closed || ++failures > settings.retries()) {
          throw e;
        }
        drop(c);
        settings.pauseBeforeRetry(e.getMessage(), failures);
      }
    }
  }

  private ServerConnection connection() throws RunException, InterruptedException {
    if (closed) {
      throw new RunException(ExitCodes.CANNOT_CONNECT, "listing stopped");
    }
    if (connection == null) {
      connection = ServerConnection.openRetrying(settings);
    }
    return connection;
  }

  private void drop(ServerConnection c) {
    connection = null;
    c.close();
  }

  private <T> T attempt(Call<T> call, ServerConnection c) throws IOException {
    try {
      return call.on(c);
    } catch (FileFailure | RunException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new RunException(
          ExitCodes.PROTOCOL,
          settings.server() + " broke the protocol while listing: " + e.getMessage(),
          false,
          e);
    } catch (IOException e) {
      throw new RunException(
          ExitCodes.CANNOT_CONNECT,
          "lost the connection to " + settings.server() + " while listing: " + Failures.describe(e),
          true,
          e);
    }
  }

  /** Closes the connection; safe from another thread (a signal), ending a listing in progress. */
  @Override
  public void close() {
    closed = true;
    ServerConnection c = connection;
    if (c != null) {
      c.close();
    }
  }
}
