import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast small files can be made durable on a file system: N files of SIZE bytes written, each
 * fdatasync'ed before its rename, with the syncs issued one by one, from a few committer threads
 * (each syncing its files in turn), or a batch at a time from a pool (lanfetch's Committer). Rounds
 * alternate between strategies; the directory is removed and the disk synced before each.
 *
 * <pre>java bench/SyncBench.java DIR [FILES] [SIZE] [ROUNDS] [STRATEGY,...]</pre>
 *
 * <p>A strategy is none, serial, "4 threads" or "batch FILES x SYNC_THREADS c COMMITTERS".
 */
public final class SyncBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String[] strategies =
        args.length > 4
            ? args[4].split(",")
            : new String[] {"none", "serial", "4 threads", "batch 16 x 32 c 2", "batch 64 x 64 c 2"};
    long[][] nanos = new long[strategies.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < strategies.length; s++) {
        clean(dir);
        Files.createDirectories(dir);
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        long t0 = System.nanoTime();
        run(strategies[s], dir, files, size);
        nanos[s][r] = System.nanoTime() - t0;
      }
    }
    for (int s = 0; s < strategies.length; s++) {
      long[] t = nanos[s].clone();
      java.util.Arrays.sort(t);
      System.out.printf(
          "%-16s median %7.3f s  (min %.3f, max %.3f) for %d x %d B%n",
          strategies[s], t[rounds / 2] / 1e9, t[0] / 1e9, t[rounds - 1] / 1e9, files, size);
    }
    clean(dir);
  }

  static void run(String strategy, Path dir, int files, int size) throws Exception {
    switch (strategy) {
      case "none" -> {
        for (int i = 0; i < files; i++) {
          land(write(dir, i, size), false);
        }
      }
      case "serial" -> {
        for (int i = 0; i < files; i++) {
          land(write(dir, i, size), true);
        }
      }
      case "4 threads" -> {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int first = t;
          all.add(
              pool.submit(
                  () -> {
                    for (int i = first; i < files; i += 4) {
                      land(write(dir, i, size), true);
                    }
                    return null;
                  }));
        }
        for (var f : all) {
          f.get();
        }
        pool.shutdown();
      }
      default -> {
        String[] p = strategy.split(" ");
        int batch = Integer.parseInt(p[1]);
        int threads = Integer.parseInt(p[3]);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ExecutorService committers = Executors.newFixedThreadPool(Integer.parseInt(p[5]));
        List<Future<?>> batches = new ArrayList<>();
        for (int start = 0; start < files; start += batch) {
          List<Part> parts = new ArrayList<>();
          for (int i = start; i < Math.min(files, start + batch); i++) {
            parts.add(write(dir, i, size));
          }
          batches.add(
              committers.submit(
                  () -> {
                    List<Future<?>> syncs = new ArrayList<>();
                    for (Part part : parts) {
                      syncs.add(
                          pool.submit(
                              () -> {
                                part.channel.force(false);
                                return null;
                              }));
                    }
                    for (var f : syncs) {
                      f.get();
                    }
                    for (Part part : parts) {
                      land(part, false);
                    }
                    return null;
                  }));
        }
        for (var f : batches) {
          f.get();
        }
        pool.shutdown();
        committers.shutdown();
      }
    }
  }

  record Part(Path part, Path dest, FileChannel channel) {}

  static Part write(Path dir, int i, int size) throws IOException {
    Path part = dir.resolve(".f" + i + ".part");
    var ch =
        FileChannel.open(
            part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(0, i);
    while (b.hasRemaining()) {
      ch.write(b);
    }
    return new Part(part, dir.resolve("f" + i), ch);
  }

  static void land(Part p, boolean sync) throws IOException {
    if (sync) {
      p.channel.force(false);
    }
    Files.createLink(p.dest, p.part);
    Files.delete(p.part);
    p.channel.close();
  }

  static void clean(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
