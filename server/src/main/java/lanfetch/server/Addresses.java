package lanfetch.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Socket addresses as people write them: 127.0.0.1:7890, [::1]:7890, [fe80::1%eth0]:7890. */
public final class Addresses {
  private Addresses() {}

  public static String format(InetSocketAddress a) {
    InetAddress address = a.getAddress();
    String host =
        address instanceof Inet6Address
            ? "[" + compress(address.getHostAddress()) + "]"
            : address.getHostAddress();
    return host + ":" + a.getPort();
  }

  /** RFC 5952 short form: the longest run of two or more zero groups becomes "::". */
  static String compress(String full) {
    int percent = full.indexOf('%');
    String scope = percent < 0 ? "" : full.substring(percent);
    String[] groups = (percent < 0 ? full : full.substring(0, percent)).split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return String.join(":", groups) + scope;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail + scope;
  }
}
