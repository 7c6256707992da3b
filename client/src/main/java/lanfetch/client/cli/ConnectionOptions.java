package lanfetch.client.cli;

import static lanfetch.client.cli.CommandSpecs.flag;
import static lanfetch.client.cli.CommandSpecs.isSet;
import static lanfetch.client.cli.CommandSpecs.option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.RetryNotice;
import lanfetch.client.RunException;
import lanfetch.client.ServerAddress;
import lanfetch.client.Settings;
import lanfetch.client.trust.Access;
import lanfetch.client.trust.ClientToken;
import lanfetch.client.trust.KnownHosts;
import lanfetch.client.trust.TlsTrust;
import lanfetch.protocol.KeyFingerprint;
import lanfetch.protocol.PeerText;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * How patient to be with the server, and how to prove who we are: options every command that
 * connects shares.
 */
final class ConnectionOptions {
  private final OptionSpec retries =
      option("--retries")
          .paramLabel("N")
          .type(int.class)
          .defaultValue("3")
          .description(
              "Retry failures that may pass (refused or lost connection, busy server, short"
                  + " body) N times per connection and per file, with doubling pauses (default: ${DEFAULT-VALUE}).")
          .build();
  private final OptionSpec retryWait =
      option("--retry-wait")
          .paramLabel("MS")
          .type(long.class)
          .defaultValue("250")
          .description(
              "First pause before a retry in milliseconds, doubling up to 10 s (default: ${DEFAULT-VALUE}).")
          .build();
  private final OptionSpec timeout =
      option("--timeout")
          .paramLabel("SECONDS")
          .type(int.class)
          .defaultValue("30")
          .description(
              "Connect timeout, and how long a connection may stay silent (default: ${DEFAULT-VALUE}).")
          .build();
  private final OptionSpec tokenFile =
      option("--token-file")
          .paramLabel("FILE")
          .type(Path.class)
          .description(
              "Present the token in FILE (owner-only permissions) to a server that requires"
                  + " one. The LANFETCH_TOKEN variable works too.")
          .build();
  private final OptionSpec tls =
      flag("--tls")
          .description(
              "Speak TLS 1.3 to a server started with --tls, trusting its key on first use.")
          .build();
  private final OptionSpec fingerprint =
      option("--fingerprint")
          .paramLabel("SHA256:...")
          .type(String.class)
          .description("Require this server key (implies --tls); the known-hosts file is not used.")
          .build();
  private final OptionSpec knownHosts =
      option("--known-hosts")
          .paramLabel("FILE")
          .type(Path.class)
          .description(
              "Where server keys met before are recorded (default:"
                  + " $XDG_CONFIG_HOME/lanfetch/known_hosts, else ~/.config/lanfetch/known_hosts).")
          .build();
  private CommandSpec spec;

  /** Adds these options to {@code command}, whose command line reports their errors. */
  ConnectionOptions addTo(CommandSpec command) {
    spec = command;
    for (OptionSpec o :
        List.of(retries, retryWait, timeout, tokenFile, tls, fingerprint, knownHosts)) {
      command.addOption(o);
    }
    return this;
  }

  /** The environment; tests replace it. */
  UnaryOperator<String> env = System::getenv;

  /**
   * Settings for a run against {@code server}; rejects values that make no sense.
   *
   * @throws RunException with {@link ExitCodes#LOCAL} if the token file cannot be used
   */
  Settings settings(
      ServerAddress server, int jobs, boolean verify, boolean resume, ExistingPolicy existing)
      throws RunException {
    return settings(server, jobs, verify, resume, existing, false);
  }

  /** As above; {@code quiet} keeps retries from being announced on stderr. */
  Settings settings(
      ServerAddress server,
      int jobs,
      boolean verify,
      boolean resume,
      ExistingPolicy existing,
      boolean quiet)
      throws RunException {
    int retries = this.retries.getValue();
    long retryWaitMillis = retryWait.getValue();
    int timeoutSeconds = timeout.getValue();
    String fingerprint = this.fingerprint.getValue();
    if (retries < 0) {
      throw new ParameterException(
          spec.commandLine(), "--retries must not be negative, not " + retries);
    }
    if (retryWaitMillis < 0) {
      throw new ParameterException(
          spec.commandLine(), "--retry-wait must not be negative, not " + retryWaitMillis);
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--timeout must be at least 1, not " + timeoutSeconds);
    }
    if (fingerprint != null && !KeyFingerprint.isWellFormed(fingerprint)) {
      throw new ParameterException(
          spec.commandLine(),
          "--fingerprint must look like SHA256:"
              + " followed by 43 base64 characters, as the server's startup line shows it: "
              + fingerprint);
    }
    return new Settings(
        server,
        Duration.ofSeconds(timeoutSeconds),
        retries,
        Duration.ofMillis(retryWaitMillis),
        jobs,
        verify,
        resume,
        existing,
        access(fingerprint),
        quiet ? RetryNotice.SILENT : new OnStderr(spec.commandLine().getErr()));
  }

  /** Each retry as one line on stderr, so that a run that waits says why. */
  private static final class OnStderr implements RetryNotice {
    private final PrintWriter err;

    OnStderr(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void retrying(String failure, int retry, int retries, Duration wait) {
      synchronized (err) {
        err.println(
            PeerText.escape("lanfetch: " + RetryNotice.line(failure, retry, retries, wait)));
        err.flush();
      }
    }
  }

  private Access access(String fingerprint) throws RunException {
    Path tokenPath = tokenFile.getValue();
    String token =
        tokenPath != null
            ? ClientToken.read(tokenPath)
            : ClientToken.fromEnvironment(env.apply("LANFETCH_TOKEN"));
    if (!isSet(tls) && fingerprint == null) {
      return new Access(token, null);
    }
    Path knownHostsPath = knownHosts.getValue();
    Path file =
        knownHostsPath != null
            ? knownHostsPath
            : KnownHosts.defaultFile(env, System.getProperty("user.home"));
    var err = spec.commandLine().getErr();
    return new Access(
        token,
        new TlsTrust(
            fingerprint,
            new KnownHosts(file),
            line -> {
              err.println(line);
              err.flush();
            }));
  }
}
