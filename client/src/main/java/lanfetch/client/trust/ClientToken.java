package lanfetch.client.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import lanfetch.client.ExitCodes;
import lanfetch.client.Failures;
import lanfetch.client.RunException;
import lanfetch.common.OwnerOnlyFiles;

/**
 * Where the client's access token comes from: --token-file or LANFETCH_TOKEN, never the command
 * line. A token file others can read is refused, as ssh refuses such a private key.
 */
public final class ClientToken {
  private ClientToken() {}

  /** The token in {@code file}, trimmed. */
  public static String read(Path file) throws RunException {
    try {
      OwnerOnlyFiles.checkPrivate(file, "token file");
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new RunException(ExitCodes.LOCAL, "token file " + file + " is empty");
      }
      return token;
    } catch (RunException e) {
      throw e;
    } catch (OwnerOnlyFiles.NotPrivateException e) {
      throw new RunException(ExitCodes.LOCAL, e.getMessage());
    } catch (NoSuchFileException e) {
      throw new RunException(ExitCodes.LOCAL, "token file " + file + " does not exist");
    } catch (IOException e) {
      throw new RunException(
          ExitCodes.LOCAL,
          "cannot read token file " + file + ": " + Failures.describe(e),
          false,
          e);
    }
  }

  /** The token in the LANFETCH_TOKEN value, or null when it is unset or blank. */
  public static String fromEnvironment(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
