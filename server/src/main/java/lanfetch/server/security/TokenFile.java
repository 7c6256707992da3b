package lanfetch.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import lanfetch.common.FileErrors;
import lanfetch.common.OwnerOnlyFiles;
import lanfetch.server.StartupException;
import lanfetch.server.StartupException.Reason;

/**
 * Reading and creating token files. Like ssh with a private key, a token file that others on the
 * machine can read is refused: anyone who read it could download, so the operator must hear about
 * it before serving, not after.
 */
public final class TokenFile {
  /** Random bytes in a generated token: 256 bits, beyond any guessing. */
  static final int TOKEN_BYTES = 32;

  private TokenFile() {}

  /**
   * The token in {@code file}: its text without surrounding whitespace (the trailing newline).
   *
   * @throws StartupException if the file is missing, unreadable, readable by others, or empty
   */
  public static AccessToken read(Path file) throws StartupException {
    try {
      checkPrivate(file, "token file");
      String token = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw fail("token file " + file + " is empty", null);
      }
      return AccessToken.of(token);
    } catch (NoSuchFileException e) {
      throw fail("token file " + file + " does not exist", e);
    } catch (IOException e) {
      throw e instanceof StartupException s
          ? s
          : fail("cannot read token file " + file + ": " + FileErrors.describe(e), e);
    }
  }

  /** The token from the LANFETCH_TOKEN variable's value. */
  public static AccessToken fromEnvironment(String value) throws StartupException {
    if (value.isBlank()) {
      throw fail("LANFETCH_TOKEN is set but empty", null);
    }
    return AccessToken.of(value.strip());
  }

  /** Refuses a secret file others may read or write, where the file system knows owners. */
  static void checkPrivate(Path file, String what) throws StartupException {
    try {
      OwnerOnlyFiles.checkPrivate(file, what);
    } catch (OwnerOnlyFiles.NotPrivateException e) {
      throw fail(e.getMessage(), null);
    } catch (IOException e) {
      throw fail(
          "cannot read the permissions of " + what + " " + file + ": " + FileErrors.describe(e), e);
    }
  }

  /** A new random token: 32 bytes from SecureRandom as unpadded base64url (43 characters). */
  public static String generate() {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Writes {@code token} and a newline to {@code file}, created owner-only (rw-------) in the same
   * step, so there is no moment when others could read it.
   *
   * @param replace whether an existing file may be replaced (atomically, by a rename)
   * @throws StartupException if the file exists and {@code replace} is false, or cannot be written
   */
  public static void write(Path file, String token, boolean replace) throws StartupException {
    byte[] text = (token + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      OwnerOnlyFiles.createDirectories(file.toAbsolutePath().getParent());
      if (replace) {
        OwnerOnlyFiles.writeAtomically(file, text);
      } else {
        Files.write(OwnerOnlyFiles.createFile(file), text);
      }
    } catch (FileAlreadyExistsException e) {
      throw fail(file + " already exists; not overwriting it (add --force to replace it)", e);
    } catch (IOException e) {
      throw fail("cannot write token file " + file + ": " + FileErrors.describe(e), e);
    }
  }

  private static StartupException fail(String message, Throwable cause) {
    return new StartupException(Reason.SECURITY, message, cause);
  }
}
