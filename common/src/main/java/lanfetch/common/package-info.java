/**
 * What the server and the client share about the local machine rather than the wire: where the
 * configuration directory is, and how a secret file (token, TLS key, known_hosts) is checked and
 * written so that no one else on the machine can read it, file-system failures in the operating
 * system's words, and quiet closing. The wire lives in {@code protocol}; this package knows no
 * sockets and no protocol, and decides no policy of either command.
 */
package lanfetch.common;
