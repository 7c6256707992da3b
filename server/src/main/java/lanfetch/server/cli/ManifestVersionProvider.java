package lanfetch.server.cli;

import lanfetch.server.ServerVersion;
import picocli.CommandLine.IVersionProvider;

/** --version: the Implementation-Version the build writes into the jar manifest. */
public final class ManifestVersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "lanfetch-server " + ServerVersion.get(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
