package lanfetch.dist;

/** Shell completion files beyond picocli's bash script. */
final class Completion {
  private Completion() {}

  /**
   * A zsh completion function file ({@code _NAME}, for a directory on {@code $fpath}) around
   * picocli's script, which zsh runs through its bash-completion emulation (the script turns that
   * on itself). zsh autoloads the file as the function's body on the first completion: the body
   * defines the completer, registers it for later completions, and answers this one.
   */
  static String zsh(String name, String bashScript) {
    String function = "_complete_" + name;
    if (!bashScript.contains("function " + function + "()")) {
      throw new IllegalStateException(
          "picocli's completion script for " + name + " no longer defines " + function);
    }
    return "#compdef "
        + name
        + "\n"
        + "# zsh completion for "
        + name
        + ", generated at build time from the command's model.\n"
        + "# The script below aliases compopt to complete for zsh; an alias does not reach\n"
        + "# functions parsed with it in one autoloaded file, so compopt is a function here.\n"
        + "(( $+functions[compopt] )) || compopt() { complete \"$@\"; }\n"
        + bashScript
        + "\n_bash_complete -o default -F "
        + function
        + "\n";
  }
}
