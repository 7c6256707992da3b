package lanfetch.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import lanfetch.protocol.KeyFingerprint;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How patient to be with the server: options every command that connects shares. */
final class ConnectionOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "Retry failures that may pass (refused or lost connection, busy server, short"
          + " body) N times per connection and per file, with doubling pauses (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--retry-wait", paramLabel = "MS", defaultValue = "250",
      description = "First pause before a retry in milliseconds, doubling up to 10 s (default: ${DEFAULT-VALUE}).")
  long retryWaitMillis;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Connect timeout, and how long a connection may stay silent (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Present the token in FILE (owner-only permissions) to a server that requires"
          + " one. The LANFETCH_TOKEN variable works too.")
  Path tokenFile;

  @Option(names = "--tls",
      description = "Speak TLS 1.3 to a server started with --tls, trusting its key on first use.")
  boolean tls;

  @Option(names = "--fingerprint", paramLabel = "SHA256:...",
      description = "Require this server key (implies --tls); the known-hosts file is not used.")
  String fingerprint;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "Where server keys met before are recorded (default:"
          + " $XDG_CONFIG_HOME/lanfetch/known_hosts, else ~/.config/lanfetch/known_hosts).")
  Path knownHosts;

  /** The environment; tests replace it. */
  UnaryOperator<String> env = System::getenv;

  /**
   * Settings for a run against {@code server}; rejects values that make no sense.
   *
   * @throws RunException with {@link ExitCodes#LOCAL} if the token file cannot be used
   */
  Settings settings(ServerAddress server, int jobs, boolean verify, boolean resume, ExistingPolicy existing)
      throws RunException {
    if (retries < 0) {
      throw new ParameterException(spec.commandLine(), "--retries must not be negative, not " + retries);
    }
    if (retryWaitMillis < 0) {
      throw new ParameterException(spec.commandLine(),
          "--retry-wait must not be negative, not " + retryWaitMillis);
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--timeout must be at least 1, not " + timeoutSeconds);
    }
    if (fingerprint != null && !KeyFingerprint.isWellFormed(fingerprint)) {
      throw new ParameterException(spec.commandLine(), "--fingerprint must look like SHA256:"
          + " followed by 43 base64 characters, as the server's startup line shows it: " + fingerprint);
    }
    return new Settings(server, Duration.ofSeconds(timeoutSeconds), retries,
        Duration.ofMillis(retryWaitMillis), jobs, verify, resume, existing, access());
  }

  private Access access() throws RunException {
    String token = tokenFile != null ? ClientToken.read(tokenFile) : ClientToken.fromEnvironment(env.apply("LANFETCH_TOKEN"));
    if (!tls && fingerprint == null) {
      return new Access(token, null);
    }
    Path file = knownHosts != null ? knownHosts
        : KnownHosts.defaultFile(env.apply("XDG_CONFIG_HOME"), System.getProperty("user.home"));
    var err = spec.commandLine().getErr();
    return new Access(token, new TlsTrust(fingerprint, new KnownHosts(file), line -> {
      err.println(line);
      err.flush();
    }));
  }
}
