/**
 * Internal: the {@code lanfetch-server} command line. Parses options (their defaults come from
 * {@link lanfetch.server.ServerConfig}), prints the startup line, installs the stop signals, and
 * turns failures into one line on stderr and an exit code (a startup failure's code comes with its
 * {@link lanfetch.server.StartupException.Reason}).
 *
 * <p>The only package allowed to print to the terminal, read the environment or decide an exit
 * code; nothing else in the server depends on it.
 */
package lanfetch.server.cli;
