/**
 * Build-time tools of the distribution: man pages and shell completion generated from the commands'
 * own picocli models, so they never drift from {@code --help}. Nothing here is shipped; it runs
 * inside Maven during {@code prepare-package}.
 */
package lanfetch.dist;
