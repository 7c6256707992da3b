package lanfetch.server.cli;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import lanfetch.server.Addresses;
import lanfetch.server.FileServer;

/**
 * The one line the server prints to stdout once it listens, for people and scripts:
 *
 * <pre>
 * lanfetch-server listening on 127.0.0.1:40123 threads=16 queue=128 root=/srv/files
 * </pre>
 *
 * With --tls the key's fingerprint comes just before the root, so the root still runs to the end
 * and {@link #PATTERN}'s groups keep their numbers: {@code ... queue=128 tls=SHA256:Fw3...
 * root=/srv/files}. The address is the one to connect to: the bound address, or for a server bound
 * to every interface, one of this machine's LAN addresses (loopback if it has none). IPv6 addresses
 * are bracketed, [::1]:7890. The root comes last and runs to the end of the line, spaces and all.
 *
 * <p>Unless --no-http, the addresses a browser should open come before the root, comma-separated:
 * {@code ... http=http://192.168.1.20:7890/,http://[fd00::20]:7890/ root=/srv/files} (https:// with
 * --tls): every non-loopback address of the machine for a server bound to every interface, the
 * bound address otherwise.
 */
final class StartupLine {
  /** Matches the line; groups: host, port, threads, queue, root. */
  static final Pattern PATTERN =
      Pattern.compile(
          "lanfetch-server listening on (\\S+):(\\d+) threads=(\\d+) queue=(\\d+)"
              + " (?:tls=SHA256:\\S+ )?(?:http=\\S+ )?root=(.*)");

  /** Finds the fingerprint in a --tls server's line; group 1 is {@code SHA256:...}. */
  static final Pattern FINGERPRINT = Pattern.compile(" tls=(SHA256:\\S+) (?:http=\\S+ )?root=");

  /** Finds the browser addresses; group 1 is the comma-separated URLs. */
  static final Pattern URLS = Pattern.compile(" http=(\\S+) root=");

  private StartupLine() {}

  static String of(FileServer server) {
    var config = server.config();
    return "lanfetch-server listening on "
        + connectAddress(server.address())
        + " threads="
        + config.threads()
        + " queue="
        + config.queueCapacity()
        + config.tls().map(tls -> " tls=" + tls.fingerprint()).orElse("")
        + (config.http() ? " http=" + String.join(",", urls(server)) : "")
        + " root="
        + server.root();
  }

  /** What a browser should open: one URL per address a LAN client can reach. */
  static List<String> urls(FileServer server) {
    String scheme = server.config().tls().isPresent() ? "https://" : "http://";
    InetSocketAddress bound = server.address();
    var urls = new ArrayList<String>();
    for (InetAddress a : browserAddresses(bound.getAddress())) {
      urls.add(scheme + Addresses.format(new InetSocketAddress(a, bound.getPort())) + "/");
    }
    return urls;
  }

  /** The bound address; for every interface, each non-loopback one (IPv4 first), or loopback. */
  private static List<InetAddress> browserAddresses(InetAddress bound) {
    if (!bound.isAnyLocalAddress()) {
      return List.of(bound);
    }
    var v4 = new ArrayList<InetAddress>();
    var v6 = new ArrayList<InetAddress>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            v4.add(a);
          } else if (bound instanceof Inet6Address && !a.isLinkLocalAddress()) {
            v6.add(a);
          }
        }
      }
    } catch (SocketException e) {
      // No interfaces to list: loopback below.
    }
    v4.addAll(v6);
    return v4.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : v4;
  }

  private static String connectAddress(InetSocketAddress bound) {
    InetAddress a = bound.getAddress();
    if (a.isAnyLocalAddress()) {
      a = lanAddress().orElse(InetAddress.getLoopbackAddress());
    }
    return Addresses.format(new InetSocketAddress(a, bound.getPort()));
  }

  /** A site-local IPv4 address of an interface that is up, else any non-loopback one. */
  private static Optional<InetAddress> lanAddress() {
    try {
      InetAddress fallback = null;
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return Optional.of(a);
          }
          if (fallback == null && a instanceof Inet6Address && !a.isLinkLocalAddress()) {
            fallback = a;
          }
        }
      }
      return Optional.ofNullable(fallback);
    } catch (SocketException e) {
      return Optional.empty();
    }
  }
}
