package dev.dragon.bench.load;

import java.util.Locale;

/** A one-line progress bar on stderr: requests done of all, the current target, elapsed time and ETA. */
final class Progress {

    private final int total;
    private final long t0 = System.nanoTime();
    private int base;

    Progress(int total) {
        this.total = total;
    }

    LoadRunner.Summary run(Target target, Workload workload, int concurrency, CpuMeter cpu) {
        String label = target.name() + " @" + concurrency;
        LoadRunner.Summary s = LoadRunner.run(target, workload, concurrency, cpu, done -> draw(base + done, label));
        base += workload.requests().size();
        draw(base, label);
        return s;
    }

    /**
     * Runs rounds of {@code 4 × concurrency} requests and forgets them until {@code seconds} have passed, so
     * that what is measured next is the steady state: the JIT's C2 tier of every JVM involved (the platform
     * has five) is still compiling tens of seconds into load, and ORT arenas, connection pools and caches fill.
     */
    void warmUp(Target target, long seed, int concurrency, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String label = target.name() + " warming up @" + concurrency;
        for (int round = 0; System.nanoTime() < end; round++) {
            LoadRunner.run(target, Workload.of(4 * concurrency, seed - round), concurrency, CpuMeter.none(),
                    done -> draw(base, label));
        }
    }

    void note(String line) {
        System.err.printf("%n%s%n", line);
    }

    void done() {
        System.err.println();
    }

    private synchronized void draw(int done, String label) {
        int width = 30;
        int filled = (int) ((long) width * Math.min(done, total) / total);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        System.err.printf(Locale.ROOT, "\rbench [%s%s] %d/%d  elapsed %4.0fs  eta %4.0fs  %-50s", "#".repeat(filled),
                " ".repeat(width - filled), done, total, elapsed, eta, label);
    }
}
