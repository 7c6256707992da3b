package lanfetch.client.landing;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import lanfetch.client.ExistingPolicy;
import lanfetch.client.FailureCode;
import lanfetch.client.FileFailure;
import lanfetch.client.Target;

/**
 * The output directory of one run, as the transfer sees it: the existing-file policy, the
 * directories files land in, where each part resumes, and whether an announced body fits. Shared by
 * all connections of the run; safe for concurrent use.
 */
public final class Landing {
  private final Path outputDir;
  private final ExistingPolicy existing;
  private final boolean resume;
  private final boolean serverTimes;
  private final Set<Path> madeDirectories = ConcurrentHashMap.newKeySet();
  private final DirectorySnapshot snapshot = new DirectorySnapshot();
  private volatile FileStore store;

  /**
   * @param existing what to do with a destination that exists
   * @param resume whether partial files of earlier runs are continued
   */
  public Landing(Path outputDir, ExistingPolicy existing, boolean resume) {
    this(outputDir, existing, resume, true);
  }

  /**
   * @param serverTimes whether landed files get the server's modification time (else {@code
   *     --no-times}: the time they landed)
   */
  public Landing(Path outputDir, ExistingPolicy existing, boolean resume, boolean serverTimes) {
    this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
    this.existing = Objects.requireNonNull(existing, "existing");
    this.resume = resume;
    this.serverTimes = serverTimes;
  }

  public ExistingPolicy existingPolicy() {
    return existing;
  }

  /** Whether landed files get the server's modification time. */
  public boolean serverTimes() {
    return serverTimes;
  }

  /** Creates the directories of -r trees, empty ones included; a failure shows on their files. */
  public void makeDirectories(List<Path> directories) {
    for (Path dir : directories) {
      try {
        PartFile.createDirectories(outputDir, dir);
        madeDirectories.add(dir);
      } catch (FileFailure ignored) {
        // Every file below it reports the same failure, with its own name.
      }
    }
  }

  /** What the existing-file policy makes of a target's destination before a request is sent. */
  public enum Existing {
    /** No such file, or --overwrite: download it. */
    ABSENT,
    /** It exists and --skip-existing was given. */
    SKIP,
    /** It exists: compare it with the server's file; only a different one is a clash. */
    COMPARE
  }

  /**
   * Which of a target's names may exist, as the directory snapshot tells: false only for a name its
   * directory, read once, did not hold. The three names share a directory: one look-up serves them.
   *
   * @param destination whether the destination may exist
   * @param part whether its part may
   * @param meta whether its sidecar may
   */
  public record Presence(boolean destination, boolean part, boolean meta) {
    private static final Presence NONE = new Presence(false, false, false);
  }

  /** What the directory snapshot says of the target's names. */
  public Presence presence(Target t) {
    DirectorySnapshot.Names names = snapshot.of(t.destination().getParent());
    if (names.isEmpty()) {
      return Presence.NONE; // a fresh directory, the common case
    }
    return new Presence(
        names.mayHold(t.destination()), names.mayHold(t.part()), names.mayHold(t.meta()));
  }

  /** Applies the existing-file policy before a request is sent, given what the snapshot says. */
  public Existing existing(Target t, Presence known) {
    if (existing == ExistingPolicy.OVERWRITE
        || !known.destination()
        || !PartFile.exists(t.destination())) {
      return Existing.ABSENT;
    }
    dropLeftoverPart(t);
    return existing == ExistingPolicy.SKIP ? Existing.SKIP : Existing.COMPARE;
  }

  /** A part left as a second name of the existing destination by a crash goes (see PartFile). */
  private static void dropLeftoverPart(Target t) {
    try {
      PartFile.dropLeftover(t);
    } catch (IOException e) {
      // It stays hidden beside the file, as before (or its owner is placing it); the file is whole.
    }
  }

  /**
   * Creates the directory the target lands in, once per run. Marked as made only once it exists: a
   * second connection with a file in the same directory must not go ahead while the first is still
   * creating it. Two that create it at once both succeed.
   */
  public void makeParent(Target t) throws FileFailure {
    Path parent = t.destination().getParent();
    if (!parent.equals(outputDir) && !madeDirectories.contains(parent)) {
      PartFile.createDirectories(outputDir, parent);
      madeDirectories.add(parent);
    }
  }

  /** After a failure preparing the target: its directory is checked again for the next file. */
  public void forgetParent(Target t) {
    madeDirectories.remove(t.destination().getParent());
  }

  /**
   * Where the target's download starts: after the bytes of a part whose sidecar names the server's
   * version, unless this run resumes nothing or {@code startOver} is set.
   */
  public PartFile.Resume resumeFrom(Target t, boolean startOver) throws FileFailure {
    return PartFile.inspect(t, resume && !startOver);
  }

  /**
   * Fails a body that cannot fit before a byte of it is written. Small bodies are not checked: a
   * system call per small file is not worth it, and a full disk still fails the write.
   *
   * @throws FileFailure NO_SPACE if the file system says fewer bytes are free
   */
  public void checkSpace(Target t, long length) throws FileFailure {
    if (length < PartFile.RESUMABLE_MIN) {
      return;
    }
    long free = usableSpace();
    if (free >= 0 && length > free) {
      throw new FileFailure(
          FailureCode.NO_SPACE,
          "the server announces "
              + length
              + " bytes but only "
              + free
              + " bytes are free in "
              + t.destination().getParent());
    }
  }

  /** Bytes free where the files land, or -1 if the file system cannot say. */
  private long usableSpace() {
    try {
      if (store == null) {
        store = Files.getFileStore(outputDir);
      }
      return store.getUsableSpace();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
