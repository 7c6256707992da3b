package lanfetch.client.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (Implementation-Version, set by the build). */
final class ManifestVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = ClientMain.class.getPackage().getImplementationVersion();
    return new String[] {
      "lanfetch " + (version == null ? "(development build)" : version),
      "protocol version " + lanfetch.protocol.Wire.VERSION,
      "Java ${java.version} (${java.vendor})"
    };
  }
}
