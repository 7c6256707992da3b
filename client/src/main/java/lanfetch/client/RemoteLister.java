package lanfetch.client;

import java.io.IOException;
import java.util.List;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ProtocolException;

/**
 * Lists directories over one connection, opened on first use and kept for further listings.
 * A failure of the connection itself stops the command; a refused directory is a per-name
 * {@link FileFailure}.
 */
final class RemoteLister implements Planner.Lister, AutoCloseable {
  private final Settings settings;
  private Connection connection;

  RemoteLister(Settings settings) {
    this.settings = settings;
  }

  @Override
  public List<Entry> list(String directory, boolean recursive) throws IOException, InterruptedException {
    if (connection == null) {
      connection = Connection.openRetrying(settings);
    }
    try {
      return connection.list(directory, recursive);
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

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
