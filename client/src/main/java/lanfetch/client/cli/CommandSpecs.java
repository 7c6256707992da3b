package lanfetch.client.cli;

import java.util.List;
import lanfetch.client.ServerAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Builds the commands' picocli models through its programmatic API.
 *
 * <p>Why not annotations: picocli reads annotated commands by reflection, and the JDK makes a proxy
 * class for every annotation type it meets. That was the largest single share of a one-file
 * download's time in the JVM, and the proxies cannot go into the class-data archive (BENCHMARKS.md,
 * "Client start-up rules"). Built by hand, the same model costs a few milliseconds. The help text,
 * parsing and error messages are picocli's either way.
 */
final class CommandSpecs {
  private CommandSpecs() {}

  /** A command that runs {@code command}, shows {@code description} and has no options yet. */
  static CommandSpec command(Object command, String name, String... description) {
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(command)
            .name(name)
            .versionProvider(new ManifestVersion());
    spec.usageMessage().description(description).sortOptions(false);
    return spec;
  }

  /**
   * Adds {@code -h/--help} and {@code -V/--version}; last, so that they close the option list as
   * picocli's own standard help options would.
   */
  static CommandSpec withStandardHelp(CommandSpec spec) {
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .description("Print version information and exit.")
            .build());
    return spec;
  }

  /** The builder of an option that takes no value: set or not. */
  static OptionSpec.Builder flag(String name, String... more) {
    return option(name, more).type(boolean.class);
  }

  /** The builder of an option named {@code name} and {@code more}, for a type and description. */
  static OptionSpec.Builder option(String name, String... more) {
    String[] names = new String[more.length + 1];
    names[0] = name;
    System.arraycopy(more, 0, names, 1, more.length);
    return OptionSpec.builder(names);
  }

  /** The builder of the positional parameter(s) at {@code index} ("0", "1..*"). */
  static PositionalParamSpec.Builder positional(String index) {
    return PositionalParamSpec.builder().index(index);
  }

  /** Whether a {@link #flag} was given. */
  static boolean isSet(OptionSpec flag) {
    return Boolean.TRUE.equals(flag.getValue());
  }

  /** The values of a repeatable option or a positional range; empty when none were given. */
  static List<String> values(ArgSpec arg) {
    List<String> values = arg.getValue();
    return values == null ? List.of() : values;
  }

  /** The first positional parameter of every command that connects: {@code HOST[:PORT]}. */
  static PositionalParamSpec serverAddress() {
    return PositionalParamSpec.builder()
        .index("0")
        .arity("1")
        .required(true)
        .paramLabel("HOST[:PORT]")
        .type(ServerAddress.class)
        .converters(new ServerAddressConverter())
        .description("The server; port 7890 unless given; IPv6 as [::1]:7890.")
        .build();
  }

  /** Lets picocli parse HOST[:PORT] arguments, with a one-line message on bad input. */
  private static final class ServerAddressConverter implements ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      try {
        return ServerAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "invalid server address '" + value + "': " + e.getMessage());
      }
    }
  }
}
