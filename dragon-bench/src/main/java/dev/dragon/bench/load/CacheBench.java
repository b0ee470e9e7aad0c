package dev.dragon.bench.load;

import dev.dragon.contracts.http.ServerTiming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The edge numbers (issues 5 and 16), against a running platform: response-cache hit latency at the router
 * (the same greedy request repeated), what the gateway adds to that request (direct and through the gateway,
 * interleaved), the first answers after the platform reported ready, and time to first token with a shared
 * ~1,000-token prefix when its KV state is restored (hit) vs prefilled (the first request of each prefix).
 */
final class CacheBench {

    private CacheBench() {
    }

    static Map<String, Object> run(String routerBase, String gatewayBase, String apiKey, Progress progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("response_cache_hit", responseHits(routerBase, 300));
        out.put("gateway_hop", gatewayHop(routerBase, gatewayBase, apiKey, 300));
        out.put("kv_prefix_ttft", kvPrefix(routerBase, 12, 4));
        progress.note("cache measurements: " + out);
        return out;
    }

    private static final int HOP_WARM_UP = 1500;

    /**
     * What the gateway adds to a request: the same deterministic request (a response-cache hit after the first,
     * so the model does not dominate) sent {@code n} times straight at the router and {@code n} times through the
     * gateway, alternating, after {@link #HOP_WARM_UP} of each to warm both paths to the JIT's steady state.
     */
    private static Map<String, Object> gatewayHop(String router, String gateway, String apiKey, int n) {
        try (HttpTarget direct = new HttpTarget("router, hop baseline", router, apiKey, true);
             HttpTarget viaGateway = new HttpTarget("gateway, hop", gateway, apiKey, true)) {
            Workload.Request r = new Workload.Request(null, "What is 12 + 30?");
            // the JIT's steady state: on a warm ./dragon up the gateway's added p50 fell from ~5 ms after 200
            // requests to ~2 ms after 3,000 (hand-driven, 2026-12-07); 50 left it mid-compilation
            for (int i = 0; i < HOP_WARM_UP; i++) {
                direct.run(r);
                viaGateway.run(r);
            }
            direct.takeCacheCounts();
            viaGateway.takeCacheCounts();
            double[] d = new double[n];
            double[] g = new double[n];
            double[] routerDirect = new double[n];     // Server-Timing entries, ms
            double[] routerVia = new double[n];
            double[] checks = new double[n];
            double[] proxy = new double[n];
            double[] hop = new double[n];               // forwarded → headers back, less the router's own time
            for (int i = 0; i < n; i++) {
                d[i] = direct.run(r).totalNanos() / 1e6;
                routerDirect[i] = ServerTiming.millis(direct.lastServerTiming(), "near");
                g[i] = viaGateway.run(r).totalNanos() / 1e6;
                String timing = viaGateway.lastServerTiming();
                routerVia[i] = ServerTiming.millis(timing, "near");
                checks[i] = ServerTiming.millis(timing, "gateway");
                proxy[i] = ServerTiming.millis(timing, "proxy");
                hop[i] = proxy[i] - routerVia[i];
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests_each", n);
            m.put("warm_up_requests_each", HOP_WARM_UP);
            m.put("direct_x_dragon_cache", direct.takeCacheCounts());
            m.put("gateway_x_dragon_cache", viaGateway.takeCacheCounts());
            m.put("direct_p50_ms", pct(d, 50));
            m.put("direct_p99_ms", pct(d, 99));
            m.put("gateway_p50_ms", pct(g, 50));
            m.put("gateway_p99_ms", pct(g, 99));
            m.put("added_p50_ms", minus(pct(g, 50), pct(d, 50)));
            m.put("added_p99_ms", minus(pct(g, 99), pct(d, 99)));
            // where the added time goes, from the Server-Timing entries of the answers (p50 of each)
            Map<String, Object> breakdown = new LinkedHashMap<>();
            breakdown.put("router_near_direct_p50_ms", pct(routerDirect, 50));
            breakdown.put("router_near_via_gateway_p50_ms", pct(routerVia, 50));
            breakdown.put("gateway_checks_p50_ms", pct(checks, 50));
            breakdown.put("gateway_checks_p99_ms", pct(checks, 99));
            breakdown.put("gateway_to_router_and_back_p50_ms", pct(hop, 50));
            breakdown.put("gateway_to_router_and_back_p99_ms", pct(hop, 99));
            breakdown.put("rest_p50_ms", minus(pct(g, 50), pct(checks, 50), pct(proxy, 50)));
            m.put("breakdown", breakdown);
            return m;
        }
    }

    /**
     * The platform's first answers right after it reported ready (what a user sees after {@code ./dragon up}
     * prints its banner): the CPU each process burns in the first seconds while nothing is asked (work that
     * "ready" left undone), then {@code n} uncached completions of the request (12 + 30 prompt,
     * {@code tokens} tokens) through the gateway, one after the other, with time to first token, decode time and
     * the CPU each process spent on them.
     */
    static Map<String, Object> firstAnswers(String gateway, String apiKey, int n, int tokens, CpuMeter cpu) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> idleFrom = cpu.sample();
        sleep(IDLE_WINDOW_MILLIS);
        m.put("idle_window_s", IDLE_WINDOW_MILLIS / 1000.0);
        m.put("idle_window_cpu_s", round(CpuMeter.secondsBetween(idleFrom, cpu.sample())));
        try (HttpTarget t = new HttpTarget("gateway, first answers", gateway, apiKey, false, tokens)) {
            List<Double> ms = new ArrayList<>();
            List<Double> ttft = new ArrayList<>();
            List<Integer> generated = new ArrayList<>();
            Map<String, Long> from = cpu.sample();
            for (int i = 0; i < n; i++) {
                Outcome o = t.run(new Workload.Request(null, "What is 12 + 30?"));
                ms.add(o.totalNanos() / 1e6);
                ttft.add(o.ttftNanos() / 1e6);
                generated.add(o.tokens());
            }
            m.put("tokens_each", tokens);
            m.put("completion_tokens_in_order", generated);
            m.put("x_dragon_cache", t.takeCacheCounts());
            m.put("first_ms", ms.getFirst());
            m.put("total_ms_in_order", ms);
            m.put("ttft_ms_in_order", ttft);
            m.put("cpu_s_over_the_answers", round(CpuMeter.secondsBetween(from, cpu.sample())));
            return m;
        }
    }

    private static final long IDLE_WINDOW_MILLIS = 3000;

    private static Map<String, Double> round(Map<String, Double> seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        seconds.forEach((k, v) -> m.put(k, Math.round(v * 1000) / 1000.0));
        return m;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One miss to store the answer and 50 warm-up hits, then {@code n} identical requests, each timed to the full
     * answer and to its first token.
     */
    private static Map<String, Object> responseHits(String router, int n) {
        try (HttpTarget t = new HttpTarget("router, response cache", router, null, true)) {
            Workload.Request r = new Workload.Request(null, "What is 12 + 30?");
            for (int i = 0; i < 51; i++) {
                t.run(r);
            }
            t.takeCacheCounts();
            double[] ms = new double[n];
            double[] first = new double[n];
            double[] server = new double[n];            // the router's own time for the hit (Server-Timing "near")
            double[] outside = new double[n];
            for (int i = 0; i < n; i++) {
                Outcome o = t.run(r);
                ms[i] = o.totalNanos() / 1e6;
                first[i] = o.ttftNanos() / 1e6;
                server[i] = ServerTiming.millis(t.lastServerTiming(), "near");
                outside[i] = ms[i] - server[i];
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", n);
            m.put("x_dragon_cache", t.takeCacheCounts());
            m.put("p50_ms", pct(ms, 50));
            m.put("p99_ms", pct(ms, 99));
            m.put("first_token_p50_ms", pct(first, 50));
            m.put("first_token_p99_ms", pct(first, 99));
            m.put("router_handler_p50_ms", pct(server, 50));
            m.put("router_handler_p99_ms", pct(server, 99));
            m.put("outside_the_handler_p50_ms", pct(outside, 50));
            return m;
        }
    }

    /**
     * For each of {@code prefixes} distinct ~1,000-token system prompts (new to the platform: each starts with this
     * run's nonce): one request (cold prefill, stores the prefix's KV states), then {@code hits} requests with the
     * same system prompt and another question. A request counts as restored only when the router's usage says so
     * ({@code prompt_tokens_details.cached_tokens} > 0): the restored figures are over those alone, and how many
     * "restored" requests did not restore (and cold ones that did) is reported next to them.
     */
    private static Map<String, Object> kvPrefix(String router, int prefixes, int hits) {
        List<Double> cold = new ArrayList<>();
        List<Double> restored = new ArrayList<>();
        List<Double> notRestored = new ArrayList<>();
        List<Integer> cachedTokens = new ArrayList<>();
        int coldRestored = 0;
        int failed = 0;
        String nonce = Long.toHexString(System.nanoTime());
        try (HttpTarget t = new HttpTarget("router, KV prefix", router, null, false)) {
            for (int p = 0; p < prefixes; p++) {
                String system = "Session " + nonce + "-" + p + ". " + longPrompt(new Random(1000 + p));
                Outcome first = t.run(new Workload.Request(system, "Question 0 of prefix " + p + "?"));
                if (first.failed()) {
                    failed++;
                } else {
                    cold.add(first.ttftNanos() / 1e6);
                    coldRestored += first.cachedTokens() > 0 ? 1 : 0;
                }
                for (int h = 1; h <= hits; h++) {
                    Outcome o = t.run(new Workload.Request(system, "Question " + h + " of prefix " + p + "?"));
                    if (o.failed()) {
                        failed++;
                    } else if (o.cachedTokens() > 0) {
                        restored.add(o.ttftNanos() / 1e6);
                        cachedTokens.add(o.cachedTokens());
                    } else {
                        notRestored.add(o.ttftNanos() / 1e6);
                    }
                }
            }
        }
        double[] c = sorted(cold);
        double[] w = sorted(restored);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefixes", prefixes);
        m.put("cold_sample_count", c.length);
        m.put("restored_sample_count", w.length);
        m.put("restored_verified", restored.size());
        m.put("restored_not_restored", notRestored.size());
        m.put("cold_restored_unexpectedly", coldRestored);
        m.put("failed", failed);
        m.put("cold_ttft_p50_ms", pct(c, 50));
        m.put("cold_ttft_p99_ms", pct(c, 99));
        m.put("restored_ttft_p50_ms", pct(w, 50));
        m.put("restored_ttft_p99_ms", pct(w, 99));
        m.put("speedup_p50", c.length == 0 || w.length == 0 ? null : pct(c, 50) / pct(w, 50));
        m.put("restored_cached_tokens", cachedTokens);
        m.put("cold_samples", cold);
        m.put("restored_samples", restored);
        m.put("not_restored_samples", notRestored);
        return m;
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /**
     * A percentile of {@code values} (any order; NaN entries, answers without the measurement, left out), or null
     * without samples (a JSON null rather than NaN).
     */
    private static Double pct(double[] values, double p) {
        double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return known.length == 0 ? null : LoadRunner.Summary.pct(known, p);
    }

    /** {@code from} less each of {@code less}, or null when any is unknown. */
    private static Double minus(Double from, Double... less) {
        if (from == null) {
            return null;
        }
        double d = from;
        for (Double l : less) {
            if (l == null) {
                return null;
            }
            d -= l;
        }
        return d;
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
