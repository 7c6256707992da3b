/**
 * The command line: {@code lanfetch get}, {@code lanfetch list}, their options, the exit-code
 * policy applied to exceptions, and signal handling. It wires the other packages together for one
 * run; nothing else in the client depends on it.
 *
 * <h2>Start-up rules</h2>
 *
 * <p>A one-file download is mostly JVM start-up, so everything that runs before the first request
 * (this package above all, but also the code it calls to parse, plan and connect) keeps to these
 * rules. BENCHMARKS.md ("Client start-up rules") says what each one saves; {@code StartupRulesTest}
 * fails when one is broken or when the classes a start loads grow past their budget.
 *
 * <ol>
 *   <li><b>No picocli annotations.</b> Commands are built with picocli's programmatic API ({@link
 *       lanfetch.client.cli.CommandSpecs}). Reading annotations goes through reflection and makes a
 *       proxy class per annotation type, which the class-data archive cannot hold. Only {@code
 *       generate-completion}, picocli's own annotated command, is built from annotations, and only
 *       when the command line needs it: never for a single subcommand or for {@code --version}.
 *   <li><b>No lambdas or method references for picocli interfaces.</b> picocli's released
 *       interfaces are Java 5 class files; JDK 17 leaves a lambda implementing one out of the
 *       class-data archive and spins it at run time. The client compiles picocli for Java 17
 *       (module {@code picocli}), but a lambda still sets up the method-handle machinery, and
 *       {@code main}'s first one did so before the prepare thread started. Write a class ({@link
 *       lanfetch.client.cli.ErrorHandler}, {@link lanfetch.client.cli.ManifestVersion}, the
 *       server-address converter, {@code ClientMain.Prepare}).
 *   <li><b>No {@code String.format} or {@code printf} on the start path.</b> Its first use loads
 *       {@code java.util.Formatter} and the regex engine. Pad and join by hand; format freely where
 *       a run ends (the summary line) or on error paths.
 *   <li><b>String concatenation compiled inline.</b> The parent pom compiles every module with
 *       {@code -XDstringConcat=inline}: an invokedynamic concatenation spins method handles the
 *       first time each shape runs. Keep the flag; do not concatenate in a module that lacks it.
 *   <li><b>Build only what the command line names.</b> {@code ClientMain.commandLine} builds just
 *       the subcommand in {@code args}, and nothing for {@code --version}; the exit-code table and
 *       picocli's converters are trimmed the same way.
 * </ol>
 */
package lanfetch.client.cli;
