/**
 * The command line: {@code lanfetch get}, {@code lanfetch list}, their options, the exit-code
 * policy applied to exceptions, and signal handling. It wires the other packages together for
 * one run; nothing else in the client depends on it.
 */
package lanfetch.client.cli;
