package lanfetch.client.plan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.FileFailure;
import lanfetch.client.RunException;
import lanfetch.client.Settings;
import lanfetch.client.net.ServerConnection;
import lanfetch.client.net.ServerError;
import lanfetch.protocol.Entry;
import lanfetch.protocol.ErrorMessage;
import lanfetch.protocol.HashRequest;
import lanfetch.protocol.HashResult;
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
  public List<Message> stat(List<String> names) throws IOException, InterruptedException {
    return call(c -> c.stat(names));
  }

  /**
   * HASHes names ({@code --checksum}), pipelined in batches of 64 as STATs are: per name a
   * HashResult or a non-closing ErrorMessage.
   */
  public List<Message> hash(List<String> names) throws IOException, InterruptedException {
    return call(c -> hash(c, names.stream().map(HashRequest::new).toList()));
  }

  /**
   * HASH_RANGEs of the first {@code lengths[i]} bytes of each name, as {@link #hash}; null if the
   * server does not answer HASH_RANGE (its WELCOME did not offer it).
   */
  public List<Message> hashPrefixes(List<String> names, List<Long> lengths)
      throws IOException, InterruptedException {
    var requests = new ArrayList<HashRequest>(names.size());
    for (int i = 0; i < names.size(); i++) {
      requests.add(new HashRequest(names.get(i), 0, lengths.get(i)));
    }
    return call(c -> c.hashesRanges() ? hash(c, requests) : null);
  }

  private static List<Message> hash(ServerConnection c, List<HashRequest> requests)
      throws IOException {
    var answers = new ArrayList<Message>(requests.size());
    for (int from = 0; from < requests.size(); from += 64) {
      List<HashRequest> batch = requests.subList(from, Math.min(requests.size(), from + 64));
      for (HashRequest request : batch) {
        c.send(request);
      }
      c.flush();
      for (int i = 0; i < batch.size(); i++) {
        Message m = c.answer();
        if (m instanceof ErrorMessage e && e.closing()) {
          throw ServerError.forSession(c.address().toString(), e);
        }
        if (!(m instanceof HashResult) && !(m instanceof ErrorMessage)) {
          throw new ProtocolException(
              String.format(Locale.ROOT, "answered HASH with message type 0x%02X", m.type()));
        }
        answers.add(m);
      }
    }
    return answers;
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
