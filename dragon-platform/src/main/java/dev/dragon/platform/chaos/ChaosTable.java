package dev.dragon.platform.chaos;

import java.util.Locale;

/** The fault suite's report as a plain-text table (the one pasted in docs/RELIABILITY.md). */
public final class ChaosTable {

    private ChaosTable() {
    }

    public static String render(FaultSuite.Report r) {
        StringBuilder b = new StringBuilder();
        FaultSuite.Settings s = r.settings();
        b.append(String.format(Locale.ROOT, "%d concurrent streams, %d tokens each, faults held %d s; baseline p99 %.2f s"
                + " over %d streams%n%n", s.streams(), s.maxTokens(), s.faultSeconds(), r.baselineP99Seconds(),
                r.baselineRequests()));
        String row = "| %-13s | %6s | %6s | %9s | %7s | %-17s | %-15s | %10s |%n";
        b.append(String.format(Locale.ROOT, row, "fault", "sent", "failed", "in-flight", "p99 s", "interactions lost",
                "feedback lost", "normal in"));
        b.append("|---------------|--------|--------|-----------|---------|-------------------|-----------------|------------|\n");
        for (FaultResult f : r.faults()) {
            b.append(String.format(Locale.ROOT, row, f.fault(), f.sent(), f.failed(), f.failedInFlight(),
                    String.format(Locale.ROOT, "%.2f", f.p99Seconds()),
                    f.interactionsLost() + " / " + f.interactionsExpected(), f.feedbackLost() + " / " + f.feedbackExpected(),
                    f.recoverySeconds() < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", f.recoverySeconds())));
        }
        b.append(String.format(Locale.ROOT, "%nwhole run: %d requests, %d failed; interactions lost %d of %d, feedback "
                        + "lost %d of %d; events dropped by routers (buffer full): %s%n", r.totalRequests(), r.totalFailed(),
                r.interactionsLost(), r.interactionsExpected(), r.feedbackLost(), r.feedbackExpected(),
                r.routerEventsDropped().values()));
        for (FaultResult f : r.faults()) {
            if (f.failed() > 0) {
                b.append(String.format(Locale.ROOT, "  %s: %d failures ended between %.1f s and %.1f s after injection%n",
                        f.fault(), f.failed(), f.failuresFromSeconds(), f.failuresToSeconds()));
            }
            for (String w : f.failures()) {
                b.append("  ").append(f.fault()).append(" failure: ").append(w).append('\n');
            }
        }
        return b.toString();
    }
}
