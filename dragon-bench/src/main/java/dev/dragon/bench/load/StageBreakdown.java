package dev.dragon.bench.load;

import dev.dragon.core.model.StepProfile;
import dev.dragon.platform.Prometheus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A router's decode steps between two scrapes of its metrics: mean engine-thread milliseconds per step in each
 * stage ({@code dragon_decode_stage_seconds}), and its expert dispatch calls per step with each call's mean time
 * inside the replica and outside it ({@code dragon_dispatch_replica_compute_seconds} / {@code _overhead_}).
 *
 * @param steps       decode steps between the scrapes
 * @param msPerStep   stage tag → mean ms per step
 * @param callsPerStep answered dispatch calls per step (all groups)
 * @param replicaMs   mean ms of a call inside the replica
 * @param overheadMs  mean ms of a call outside the replica: wire, transport queues and threads, protobuf
 */
record StageBreakdown(double steps, Map<String, Double> msPerStep, double callsPerStep, double replicaMs,
                      double overheadMs) {

    static StageBreakdown between(String before, String after) {
        double steps = delta(before, after, "dragon_decode_stage_seconds_count", "stage=\"wait\"");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (StepProfile.Stage stage : StepProfile.stages()) {
            String filter = "stage=\"" + stage.tag() + "\"";
            ms.put(stage.tag(), steps == 0 ? Double.NaN
                    : 1e3 * delta(before, after, "dragon_decode_stage_seconds_sum", filter) / steps);
        }
        double calls = delta(before, after, "dragon_dispatch_replica_compute_seconds_count", null);
        return new StageBreakdown(steps, ms, steps == 0 ? Double.NaN : calls / steps,
                calls == 0 ? Double.NaN : 1e3 * delta(before, after, "dragon_dispatch_replica_compute_seconds_sum", null) / calls,
                calls == 0 ? Double.NaN : 1e3 * delta(before, after, "dragon_dispatch_overhead_seconds_sum", null) / calls);
    }

    private static double delta(String before, String after, String metric, String filter) {
        return Prometheus.sum(after, metric, filter).orElse(0) - Prometheus.sum(before, metric, filter).orElse(0);
    }

    /** A markdown table: one row per measured level, one column per stage, then the dispatch split. */
    static String table(Map<String, StageBreakdown> byLevel) {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder("| router @ streams | steps |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (StepProfile.Stage stage : StepProfile.stages()) {
            head.append(' ').append(stage.tag()).append(" |");
            rule.append("---:|");
        }
        lines.add(head.append(" step ms | calls / step | replica ms / call | overhead ms / call |").toString());
        lines.add(rule.append("---:|---:|---:|---:|").toString());
        byLevel.forEach((level, b) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.0f |", level, b.steps()));
            double total = 0;
            for (double v : b.msPerStep().values()) {
                line.append(String.format(Locale.ROOT, " %.3f |", v));
                total += v;
            }
            lines.add(line.append(String.format(Locale.ROOT, " %.3f | %.1f | %.3f | %.3f |", total, b.callsPerStep(),
                    b.replicaMs(), b.overheadMs())).toString());
        });
        return String.join("\n", lines);
    }
}
