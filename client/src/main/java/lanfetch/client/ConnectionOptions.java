package lanfetch.client;

import java.time.Duration;
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

  /** Settings for a run against {@code server}; rejects values that make no sense. */
  Settings settings(ServerAddress server, int jobs, boolean verify, boolean resume, ExistingPolicy existing) {
    if (retries < 0 || retryWaitMillis < 0 || timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--retries and --retry-wait must not be"
          + " negative, --timeout must be at least 1");
    }
    return new Settings(server, Duration.ofSeconds(timeoutSeconds), retries,
        Duration.ofMillis(retryWaitMillis), jobs, verify, resume, existing);
  }
}
