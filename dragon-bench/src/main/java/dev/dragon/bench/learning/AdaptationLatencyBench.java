package dev.dragon.bench.learning;

import dev.dragon.bench.report.Machine;
import dev.dragon.platform.Prometheus;
import dev.dragon.platform.chaos.Chaos;
import dev.dragon.platform.chaos.ChaosStack;
import dev.dragon.platform.chaos.FaultWindow;
import dev.dragon.platform.chaos.LearnerDecisions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./dragon bench --adaptation}: the latency from a user's feedback to a version trained on it being live in
 * every router (issue 7), on the chaos stack (gateway, two routers, learner, Kafka, Redis, experts as JVMs).
 * Each round sends corrections that teach a format invented for that round, one request and one feedback at a
 * time through the gateway; the learner's decision log ({@code dragon.learner.decisions}) says which feedback each
 * promoted version trained on, and the routers' {@code dragon_adapter_version} says when it is live. Latency of
 * one feedback = the moment its version is live in the last router − the moment the gateway accepted it.
 * Prints p50/p95 and writes {@code results/adaptation-latency.json}.
 */
public final class AdaptationLatencyBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] ITEMS = {"turnips", "lanterns", "copper nails", "wool blankets", "river stones",
        "glass beads", "oak barrels", "salt blocks", "iron hinges", "linen sheets", "clay pots", "pine resin"};
    private static final String[] STAMPS = {"ZORBLAX", "QUIMBLE", "VORPLEX", "TRUNDLE", "SNARVIK", "PLOMBIX",
        "GRENDOO", "WAXOLIN", "FIZZBAT", "MURKELL", "OBLONGO", "KRIMPEL"};

    private final ChaosStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String key;

    private AdaptationLatencyBench(ChaosStack stack, String key) {
        this.stack = stack;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 1 ? args[1] : "results").toAbsolutePath();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 24;
        Files.createDirectories(out);
        Path root = Path.of("").toAbsolutePath();
        String token = Chaos.randomToken();
        var ports = Chaos.freePorts();
        System.err.println("adaptation bench: starting the stack (logs in " + out.resolve("adaptation-run/logs") + ")");
        try (ChaosStack stack = ChaosStack.start(ports, root, out.resolve("adaptation-run"), token, 600,
                System.err::println)) {
            String key = stack.admin().tenantWithKey("adaptation-bench", 100_000, 100_000_000);
            Map<String, Object> report = new AdaptationLatencyBench(stack, key).run(rounds, perRound);
            report.put("machine", Machine.describe());
            report.put("when", Instant.now().toString());
            Files.writeString(out.resolve("adaptation-latency.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report));
            System.out.println("wrote " + out.resolve("adaptation-latency.json"));
        }
    }

    private Map<String, Object> run(int rounds, int perRound) throws InterruptedException {
        Map<String, Long> acceptedAt = new HashMap<>();          // feedback id -> nanoTime the gateway said 202
        // the lowest version live in every router -> nanoTime first seen; versions only grow, so version v is live
        // everywhere from the first entry at or above v
        TreeMap<Long, Long> liveAt = new TreeMap<>();
        List<Map<String, Object>> perRoundReport = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        int notTrained = 0;
        for (int r = 0; r < rounds; r++) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < perRound; i++) {
                String item = ITEMS[(r * 5 + i) % ITEMS.length];
                int qty = 2 + (r * 31 + i * 7) % 97;
                String responseId = chat("Log the delivery of " + qty + " " + item + ".");
                String fb = feedback(responseId, "LEDGER>> item=" + item + " | qty=" + qty + " | stamp="
                        + STAMPS[r % STAMPS.length] + "-" + (r + 1) + " <<END");
                acceptedAt.put(fb, System.nanoTime());
                ids.add(fb);
            }
            // wait until every feedback of the round is decided (trained into a candidate, or held out) and
            // each promoted version that trained on one is live in every router; the routers are polled every
            // 200 ms on their own (a version's live time never waits for the slower read of the decision log)
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            Map<String, Long> trainedInto = new HashMap<>();   // feedback id -> promoted version (0 = rejected)
            Set<String> heldOut = new HashSet<>();
            long nextDecisionRead = 0;
            while (System.nanoTime() < deadline) {
                recordLive(liveAt);
                boolean decided = ids.stream().allMatch(id -> trainedInto.containsKey(id) || heldOut.contains(id));
                if (!decided && System.nanoTime() >= nextDecisionRead) {
                    readDecisions(ids, trainedInto, heldOut);
                    nextDecisionRead = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    continue;
                }
                boolean live = trainedInto.values().stream().allMatch(v -> v == 0 || liveAt.ceilingKey(v) != null);
                if (decided && live) {
                    break;
                }
                Thread.sleep(200);
            }
            List<Double> round = new ArrayList<>();
            for (String id : ids) {
                Long v = trainedInto.get(id);
                if (v != null && v > 0 && liveAt.ceilingKey(v) != null) {
                    round.add((liveAt.ceilingEntry(v).getValue() - acceptedAt.get(id)) / 1e9);
                } else if (!heldOut.contains(id)) {
                    notTrained++;
                }
            }
            latencies.addAll(round);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("round", r + 1);
            row.put("feedback", ids.size());
            row.put("trained_and_live", round.size());
            row.put("held_out", ids.stream().filter(heldOut::contains).count());
            row.put("versions", trainedInto.values().stream().filter(v -> v > 0).distinct().sorted().toList());
            row.put("p50_s", percentile(round, 0.5));
            row.put("max_s", percentile(round, 1.0));
            perRoundReport.add(row);
            System.out.printf(Locale.ROOT, "round %d: %d feedback, %d trained into a live version %s, "
                            + "latency p50 %.1f s, max %.1f s%n", r + 1, ids.size(), round.size(), row.get("versions"),
                    percentile(round, 0.5), percentile(round, 1.0));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("rounds", perRoundReport);
        report.put("feedback_live", latencies.size());
        report.put("feedback_not_trained", notTrained);
        report.put("latency_p50_s", percentile(latencies, 0.5));
        report.put("latency_p95_s", percentile(latencies, 0.95));
        report.put("latency_max_s", percentile(latencies, 1.0));
        System.out.printf(Locale.ROOT, "feedback → live in every router (%d routers): p50 %.1f s, p95 %.1f s, max %.1f s "
                        + "over %d feedback trained into promoted versions (%d trained into rejected candidates or "
                        + "not decided)%n", stack.routerBases().size(), percentile(latencies, 0.5),
                percentile(latencies, 0.95), percentile(latencies, 1.0), latencies.size(), notTrained);
        return report;
    }

    /** Adds the decisions about {@code ids}: their promoted version (0 when the candidate was rejected) or held out. */
    private void readDecisions(Set<String> ids, Map<String, Long> trainedInto, Set<String> heldOut) {
        for (LearnerDecisions.Decision d : LearnerDecisions.read(stack.kafka().bootstrap(), Duration.ofSeconds(30))) {
            d.trainingFeedbackIds().stream().filter(ids::contains).forEach(id -> trainedInto.put(id, d.version()));
            d.holdoutFeedbackIds().stream().filter(ids::contains).forEach(heldOut::add);
        }
    }

    /** Notes when the lowest version live in every router was first seen. */
    private void recordLive(TreeMap<Long, Long> liveAt) {
        long now = System.nanoTime();
        long minLive = minLiveVersion();
        if (minLive > 0) {
            liveAt.putIfAbsent(minLive, now);
        }
    }

    private long minLiveVersion() {
        return stack.routerBases().stream()
                .mapToLong(r -> (long) Prometheus.read(r, "dragon_adapter_version", null)).min().orElse(0);
    }

    private String chat(String prompt) {
        JsonNode body = post("/v1/chat/completions", Map.of("model", "dragon-moe-mini", "max_tokens", 8,
                "messages", List.of(Map.of("role", "user", "content", prompt))), 200);
        return body.path("id").asString();
    }

    private String feedback(String responseId, String correction) {
        return post("/v1/feedback", Map.of("response_id", responseId, "rating", -1,
                "corrected_completion", correction), 202).path("id").asString();
    }

    private JsonNode post(String path, Map<String, ?> body, int expected) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayBase() + path))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(List<Double> values, double q) {
        return FaultWindow.percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), q);
    }
}
