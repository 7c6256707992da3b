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
 * Lists directories over one connection, opened on first use and kept for further listings.
 * A failure of the connection itself stops the command; a refused directory is a per-name
 * {@link FileFailure}.
 */
public final class RemoteLister implements Planner.Lister, AutoCloseable {
  private final Settings settings;
  private volatile ServerConnection connection;
  private volatile boolean closed;

  public RemoteLister(Settings settings) {
    this.settings = settings;
  }

  @Override
  public List<Entry> list(String directory, boolean recursive) throws IOException, InterruptedException {
    return call(c -> c.list(directory, recursive));
  }

  /** STATs names: per name a StatResult or a non-closing ErrorMessage. */
  List<Message> stat(List<String> names) throws IOException, InterruptedException {
    return call(c -> c.stat(names));
  }

  private interface Call<T> {
    T on(ServerConnection c) throws IOException;
  }

  private <T> T call(Call<T> call) throws IOException, InterruptedException {
    if (closed) {
      throw new RunException(ExitCodes.CANNOT_CONNECT, "listing stopped");
    }
    if (connection == null) {
      connection = ServerConnection.openRetrying(settings);
    }
    try {
      return call.on(connection);
    } catch (FileFailure | RunException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new RunException(ExitCodes.PROTOCOL, settings.server() + " broke the protocol while listing: "
          + e.getMessage(), false, e);
    } catch (IOException e) {
      throw new RunException(ExitCodes.CANNOT_CONNECT, "lost the connection to " + settings.server()
          + " while listing: " + Failures.describe(e), true, e);
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
