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

    /** Runs {@code workload} once and forgets it: JIT, ORT arenas, connection pools and caches warm up. */
    void warmUp(Target target, Workload workload, int concurrency) {
        run(target, workload, concurrency, CpuMeter.none());
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
