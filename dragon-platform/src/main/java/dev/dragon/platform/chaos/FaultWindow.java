package dev.dragon.platform.chaos;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The times of one fault ({@link System#nanoTime()}) and how the outcomes of the load are judged against them.
 *
 * @param injectedNanos  the fault was made
 * @param recoveredNanos its recovery was done (resumed, or restarted and ready)
 * @param normalNanos    the component was back to normal and a request sent after recovery was served; -1 if never
 */
public record FaultWindow(long injectedNanos, long recoveredNanos, long normalNanos) {

    /** End of the window the fault is held responsible for: normal, or recovery + {@code graceNanos} if never. */
    long endNanos(long graceNanos) {
        return normalNanos >= 0 ? normalNanos : recoveredNanos + graceNanos;
    }

    /** Judges {@code outcomes} (the whole run) against this window and the keys that reached Kafka. */
    public FaultResult judge(Fault fault, List<Outcome> outcomes, Set<String> interactionKeys, Set<String> feedbackKeys,
                             long graceNanos) {
        long end = endNanos(graceNanos);
        List<Outcome> during = outcomes.stream().filter(o -> o.overlaps(injectedNanos, end)).toList();
        int inFlight = 0;
        int failed = 0;
        double from = Double.NaN;
        double to = Double.NaN;
        Set<String> ways = new LinkedHashSet<>();
        for (Outcome o : during) {
            if (o.ok()) {
                continue;
            }
            if (fault.excusesInFlight() && o.kind().equals("stream") && o.startNanos() < injectedNanos) {
                inFlight++;
            } else {
                failed++;
                double at = (o.endNanos() - injectedNanos) / 1e9;
                from = Double.isNaN(from) ? at : Math.min(from, at);
                to = Double.isNaN(to) ? at : Math.max(to, at);
            }
            if (ways.size() < 5) {
                ways.add(o.kind() + " " + o.status() + ": " + abbreviate(o.detail()));
            }
        }
        double[] latencies = outcomes.stream()
                .filter(o -> o.kind().equals("stream") && o.overlaps(injectedNanos, recoveredNanos))
                .mapToDouble(Outcome::latencySeconds).toArray();
        List<Outcome> endedInWindow = outcomes.stream()
                .filter(o -> o.ok() && o.responseId() != null && o.endNanos() >= injectedNanos && o.endNanos() <= end)
                .toList();
        List<String> interactions = ids(endedInWindow, "stream");
        List<String> feedback = ids(endedInWindow, "feedback");
        return new FaultResult(fault.id(), fault.description(), (recoveredNanos - injectedNanos) / 1e9, during.size(),
                failed, inFlight, List.copyOf(ways), from, to, percentile(latencies, 0.99), interactions.size(),
                (int) interactions.stream().filter(id -> !interactionKeys.contains(id)).count(), feedback.size(),
                (int) feedback.stream().filter(id -> !feedbackKeys.contains(id)).count(),
                normalNanos >= 0 ? (normalNanos - recoveredNanos) / 1e9 : -1);
    }

    private static List<String> ids(List<Outcome> outcomes, String kind) {
        return outcomes.stream().filter(o -> o.kind().equals(kind)).map(Outcome::responseId).toList();
    }

    /** Nearest-rank percentile; NaN for no values. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 160 ? one : one.substring(0, 160) + "…";
    }
}
