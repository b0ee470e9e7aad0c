package dev.dragon.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 5's two cache numbers, against a running router (direct, so the gateway's hop is not in them):
 * response-cache hit latency (the same greedy request repeated), and time to first token with a shared
 * ~1,000-token prefix when its KV state is restored (hit) vs prefilled (the first request of each prefix).
 */
final class CacheBench {

    private CacheBench() {
    }

    static Map<String, Object> run(String routerBase, Progress progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("response_cache_hit", responseHits(routerBase, 100));
        out.put("kv_prefix_ttft", kvPrefix(routerBase, 4, 4));
        progress.note("cache measurements: " + out);
        return out;
    }

    /**
     * One miss to store the answer, then {@code n} identical requests, each timed to the full answer and to its
     * first token (the lookup and the first frame, without replaying the other 63).
     */
    private static Map<String, Object> responseHits(String router, int n) {
        try (HttpTarget t = new HttpTarget("router, response cache", router, null, true)) {
            Workload.Request r = new Workload.Request(null, "What is 12 + 30?");
            t.run(r);
            double[] ms = new double[n];
            double[] first = new double[n];
            for (int i = 0; i < n; i++) {
                Outcome o = t.run(r);
                ms[i] = o.totalNanos() / 1e6;
                first[i] = o.ttftNanos() / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(first);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", n);
            m.put("x_dragon_cache", t.takeCacheCounts());
            m.put("p50_ms", LoadRunner.Summary.pct(ms, 50));
            m.put("p99_ms", LoadRunner.Summary.pct(ms, 99));
            m.put("first_token_p50_ms", LoadRunner.Summary.pct(first, 50));
            m.put("first_token_p99_ms", LoadRunner.Summary.pct(first, 99));
            return m;
        }
    }

    /**
     * For each of {@code prefixes} distinct ~1,000-token system prompts: one request (cold prefill, stores the
     * prefix's KV state), then {@code hits} requests with the same system prompt and another question.
     */
    private static Map<String, Object> kvPrefix(String router, int prefixes, int hits) {
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        try (HttpTarget t = new HttpTarget("router, KV prefix", router, null, false)) {
            for (int p = 0; p < prefixes; p++) {
                String system = longPrompt(new Random(1000 + p));
                cold.add(t.run(new Workload.Request(system, "Question 0 of prefix " + p + "?")).ttftNanos() / 1e6);
                for (int h = 1; h <= hits; h++) {
                    warm.add(t.run(new Workload.Request(system, "Question " + h + " of prefix " + p + "?"))
                            .ttftNanos() / 1e6);
                }
            }
        }
        double[] c = cold.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] w = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cold_ttft_p50_ms", LoadRunner.Summary.pct(c, 50));
        m.put("restored_ttft_p50_ms", LoadRunner.Summary.pct(w, 50));
        m.put("speedup_p50", LoadRunner.Summary.pct(c, 50) / LoadRunner.Summary.pct(w, 50));
        m.put("cold_samples", cold);
        m.put("restored_samples", warm);
        return m;
    }

    /** About 1,000 tokens of words (the shipped tokenizer makes ~1.3 tokens of a word with its space). */
    static String longPrompt(Random rnd) {
        String[] words = {"river", "lantern", "mountain", "teacher", "garden", "winter", "stranger", "letter",
                "kingdom", "sailor", "machine", "morning", "promise", "shadow", "village", "painter"};
        StringBuilder b = new StringBuilder("Keep these notes in mind. ");
        for (int i = 0; i < 760; i++) {
            b.append(words[rnd.nextInt(words.length)]).append(i % 12 == 11 ? ". " : " ");
        }
        return b.toString();
    }
}
