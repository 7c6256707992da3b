package lanfetch.client;

import java.nio.file.Path;

/**
 * Listener for what a download run does, as it happens: the progress bar, {@code --json} lines and
 * messages for people are all implementations.
 *
 * <h2>Order</h2>
 *
 * <pre>
 *   [failed | skipped]*          names that fail or are dropped while planning
 *   planned                      once
 *   per file, one at a time:
 *     ( started progress* retrying )*  attempts that ended without the file
 *     started progress*                the attempt that settles it ...
 *     ( done | failed | skipped )      ... exactly once per file
 *   [deleted]*                   --delete: after every file is settled
 *   finished                     once, last
 * </pre>
 *
 * <p>An {@code --update} run reports a file that replaced an older local copy with {@link #updated}
 * in place of {@link #done}, and a file it found already the server's version with {@link
 * #unchanged}, before {@code planned} and without a {@code started}: it is not fetched. Listeners
 * that do not tell them apart get {@code done} and {@code skipped(target, "unchanged")}. {@link
 * #deleted} comes after every file is settled ({@code --delete}), and also before {@code planned}
 * for a local entry removed to make way for the server's other kind of entry there.
 *
 * <ul>
 *   <li>{@link #planned} comes once, before any {@link #started}. Files that fail or are dropped
 *       while the run is planned are reported before it, without a {@code started}.
 *   <li>{@link #started} opens an <em>attempt</em>: the server announced the file and its bytes
 *       from {@code offset} on are coming. Every {@code started} is closed by exactly one of {@link
 *       #retrying}, {@link #done}, {@link #failed} or {@link #skipped} for the same file.
 *   <li>{@code started} may repeat for a file, but only after {@link #retrying} closed the attempt
 *       before it. {@code offset} is then where the new attempt begins: higher than in the attempt
 *       before when the bytes already received are kept (a resume), possibly 0 when they are not (a
 *       small file, or a file that changed on the server). A listener that adds a file's size and
 *       offset at {@code started}, and its bytes at {@link #progress}, takes them back at {@code
 *       retrying}; it then ends at the file's size, however many attempts there were.
 *   <li>{@link #done} always closes a {@code started}. {@link #failed} and {@link #skipped} may
 *       come with or without one (a file that exists already, a name the server does not have).
 *       Nothing more is reported for a file after one of the three.
 *   <li>{@link #progress} counts body bytes of the attempts open at the time, of any file: the
 *       bytes of one file's attempt are those between its {@code started} and the event that closes
 *       it, as the run reports them in {@link #retrying}'s {@code position}.
 *   <li>{@link #finished} comes once, last, even when the run stops early. A run stopped by a
 *       signal ends the attempts still open with {@code finished} alone: their partial files stay
 *       for the next run, which reports them again.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>{@code planned} and {@code finished} come from the thread that runs the download. All other
 * events come from connection threads and, for {@code done}, {@code skipped}, {@code failed} and
 * {@code retrying}, from the threads that commit finished files: several threads at once, for
 * different files. The events of one file never overlap, and each happens after the one before it.
 * Implementations synchronise their own output and return quickly: they run on the threads that
 * move the data.
 */
public interface Events {
  /** The run knows its files; {@code knownBytes} counts only sizes known from listings. */
  default void planned(int files, long knownBytes) {}

  /**
   * An attempt at {@code target} begins: the server announced {@code size} bytes and sends those
   * from {@code offset} on. May repeat for a file after {@link #retrying}.
   */
  void started(Target target, long size, long offset);

  /** Body bytes received since the last call, for any attempt open. */
  default void progress(long bytes) {}

  /**
   * The attempt opened by the last {@link #started} for {@code target} ended without the file,
   * which will be asked for again.
   *
   * @param size the size that {@code started} announced
   * @param position that attempt's {@code offset} plus the bytes {@link #progress} reported for it:
   *     what a listener counting both takes back
   */
  default void retrying(Target target, long size, long position) {}

  /** The file is complete under its final name. */
  void done(Target target, Done done);

  /** The file was left alone: it exists and --skip-existing was given, or it was named twice. */
  void skipped(Target target, String reason);

  /**
   * {@code --update}: the file replaced an older local copy, which stayed whole and readable until
   * this one was complete. Closes a {@link #started}, as {@link #done} does.
   */
  default void updated(Target target, Done done) {
    done(target, done);
  }

  /** {@code --update}: the destination already is the server's version; nothing was fetched. */
  default void unchanged(Target target) {
    skipped(target, "unchanged");
  }

  /**
   * {@code --delete}: {@code path}, under a tree's destination and no longer on the server, was
   * removed; a directory is reported after everything in it.
   */
  default void deleted(Path path, boolean directory) {}

  /** The file failed; {@code destination} may be null when no local path could be computed. */
  void failed(String name, Path destination, FileFailure failure);

  /** The run ended; nothing is reported after this. */
  void finished(Summary summary);

  /** Sends every event to each of the given listeners in turn, in the order given. */
  static Events all(Events... listeners) {
    return new Events() {
      @Override
      public void planned(int files, long knownBytes) {
        for (Events e : listeners) e.planned(files, knownBytes);
      }

      @Override
      public void started(Target t, long size, long offset) {
        for (Events e : listeners) e.started(t, size, offset);
      }

      @Override
      public void progress(long bytes) {
        for (Events e : listeners) e.progress(bytes);
      }

      @Override
      public void retrying(Target t, long size, long position) {
        for (Events e : listeners) e.retrying(t, size, position);
      }

      @Override
      public void done(Target t, Done d) {
        for (Events e : listeners) e.done(t, d);
      }

      @Override
      public void skipped(Target t, String reason) {
        for (Events e : listeners) e.skipped(t, reason);
      }

      @Override
      public void updated(Target t, Done d) {
        for (Events e : listeners) e.updated(t, d);
      }

      @Override
      public void unchanged(Target t) {
        for (Events e : listeners) e.unchanged(t);
      }

      @Override
      public void deleted(Path path, boolean directory) {
        for (Events e : listeners) e.deleted(path, directory);
      }

      @Override
      public void failed(String name, Path dest, FileFailure f) {
        for (Events e : listeners) e.failed(name, dest, f);
      }

      @Override
      public void finished(Summary s) {
        for (Events e : listeners) e.finished(s);
      }
    };
  }
}
