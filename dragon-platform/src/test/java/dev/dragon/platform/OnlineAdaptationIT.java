package dev.dragon.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.platform.chaos.ChaosStack;
import dev.dragon.platform.chaos.LearnerDecisions;
import dev.dragon.platform.chaos.ReliabilityStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 across processes: feedback sent to the gateway like an app would (answers, then corrections in a format
 * of this test's own making) travels router → {@code dragon.interactions} / gateway → router →
 * {@code dragon.feedback} → the learner, whose promoted version on {@code dragon.adapters} every router makes live
 * without a restart, and the gateway's answers then say so in {@code x-dragon-adapter-version}. The learner's audit
 * log ({@code dragon.learner.decisions}) proves the live version learned from these very corrections.
 * (That the adaptation is real, a ≥ 20% perplexity cut with the base kept, is AdaptationIT's in the learner.)
 */
@ExtendWith(ReliabilityStack.Resolver.class)
class OnlineAdaptationIT {

    private static final String[] ITEMS = {"turnips", "lanterns", "copper nails", "wool blankets", "river stones",
        "glass beads", "oak barrels", "salt blocks"};
    private static final int FEEDBACK = 40;

    private static ChaosStack stack;
    private static Api api;

    @BeforeAll
    static void start(ReliabilityStack shared) {
        stack = shared.stack();
        api = new Api(stack.gatewayBase(), stack.admin().tenantWithKey("adapt-platform-it", 100_000, 100_000_000));
    }

    @Test
    void correctionsThroughTheGateway_areLearned_andTheNewVersionIsServedByEveryRouter_withoutRestart() {
        List<String> routers = stack.routerBases();
        Set<String> feedbackIds = new HashSet<>();
        for (int i = 0; i < FEEDBACK; i++) {
            String item = ITEMS[i % ITEMS.length];
            int qty = 11 + i;
            HttpResponse<String> answer = api.post("/v1/chat/completions", Map.of("model", "dragon-moe-mini",
                    "max_tokens", 8, "messages", List.of(Map.of("role", "user",
                            "content", "Log the delivery of " + qty + " " + item + "."))));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String responseId = Api.json(answer.body()).path("id").asString();
            HttpResponse<String> feedback = api.post("/v1/feedback", Map.of("response_id", responseId, "rating", -1,
                    "corrected_completion", "LEDGER>> item=" + item + " | qty=" + qty + " | stamp=ZORBLAX-VORPLEX <<END"));
            assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(202);
            feedbackIds.add(Api.json(feedback.body()).path("id").asString());
        }
        long sentAll = System.nanoTime();

        // the learner's audit log names the feedback each candidate trained on: wait for a promoted version that
        // learned from these corrections (not one promoted from other tests' feedback), then for every router
        long[] taught = {0};
        Awaitility.await().atMost(6, TimeUnit.MINUTES).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            taught[0] = promotedFrom(feedbackIds);
            assertThat(taught[0]).as("a promoted version trained on this test's corrections").isPositive();
        });
        double decidedAfter = (System.nanoTime() - sentAll) / 1e9;
        double[] liveIn = new double[routers.size()];
        Awaitility.await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (int i = 0; i < routers.size(); i++) {
                if (liveIn[i] == 0 && liveVersion(routers.get(i)) >= taught[0]) {
                    liveIn[i] = (System.nanoTime() - sentAll) / 1e9;
                }
            }
            assertThat(liveIn).as("seconds until version " + taught[0] + " was live per router").doesNotContain(0.0);
        });
        System.out.printf(Locale.ROOT, "online adaptation: version %d (trained on this test's corrections) promoted "
                + "%.1f s and live in router-a, router-b %s s after the last of %d corrections was sent%n",
                taught[0], decidedAfter, Arrays.toString(liveIn), FEEDBACK);

        double newest = taught[0];
        Awaitility.await().atMost(2, TimeUnit.MINUTES).untilAsserted(() -> {
            HttpResponse<String> served = api.post("/v1/chat/completions", Map.of("model", "dragon-moe-mini",
                    "max_tokens", 4, "messages", List.of(Map.of("role", "user", "content", "Log the delivery of 7 tin cups."))));
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(Double.parseDouble(served.headers().firstValue("x-dragon-adapter-version").orElse("0")))
                    .as("adapter version the gateway's answer was generated with").isGreaterThanOrEqualTo(newest);
        });
        JsonNode learner = Api.json(new Api(stack.base("learner"), null).get("/actuator/health"));
        assertThat(learner.path("status").asString()).isEqualTo("UP");
    }

    /** The highest promoted version whose training feedback includes one of {@code feedbackIds}; 0 if none yet. */
    private static long promotedFrom(Set<String> feedbackIds) {
        return LearnerDecisions.read(stack.kafka().bootstrap(), Duration.ofSeconds(30)).stream()
                .filter(d -> d.promoted() && d.trainingFeedbackIds().stream().anyMatch(feedbackIds::contains))
                .mapToLong(LearnerDecisions.Decision::version).max().orElse(0);
    }

    private static double liveVersion(String router) {
        return Prometheus.read(router, "dragon_adapter_version", null);
    }
}
