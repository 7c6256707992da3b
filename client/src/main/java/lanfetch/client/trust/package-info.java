/**
 * Whom the client trusts and how it proves who it is: TLS with trust on first use (pinned
 * fingerprint or known_hosts) and the access token from a file or the environment. Knows nothing of
 * downloads, listings or the command line.
 */
package lanfetch.client.trust;
