package dev.dragon.learning.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.contracts.events.AdapterControlEvent;
import dev.dragon.contracts.events.AdapterSignatures;
import dev.dragon.contracts.events.AdapterVerifier;
import dev.dragon.contracts.events.AdapterWeights;
import dev.dragon.contracts.events.CandidateDecisionEvent;
import dev.dragon.contracts.events.EventTopics;
import dev.dragon.learning.admin.AdminServer;
import dev.dragon.learning.testing.Decisions;
import dev.dragon.learning.testing.Feed;
import dev.dragon.learning.testing.LearnerTestConfig;
import dev.dragon.learning.testing.Teaching;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The learner in process against a real KRaft broker: accounting, version numbering, drops, the admin API. */
class LearnerLoopIT extends InProcessLearner {

    private static final String SUFFIX = "loop";
    private static final String FEEDBACK = LearnerTestConfig.topic("feedback", SUFFIX);
    private static final String ADAPTERS = LearnerTestConfig.topic("adapters", SUFFIX);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void learner(DynamicPropertyRegistry registry) {
        LearnerTestConfig.register(registry, SUFFIX);
    }

    @Autowired
    AdminServer admin;

    @Test
    void everyFeedbackIsDecidedOnce_andVersionsAreGapFreeSignedAndChained() {
        Decisions decisions = new Decisions(events, SUFFIX, host);
        List<String> sent = new Feed(events, host.tokenizer(), SUFFIX).teach(Teaching.samples(host.tokenizer(), 40, 1),
                "loop", 3);

        decisions.awaitDecided(sent, Duration.ofMinutes(20));

        List<String> decided = decisions.decidedFeedback();
        assertThat(Decisions.duplicates(decided)).as("feedback decided twice").isEmpty();
        assertThat(new HashSet<>(decided)).containsExactlyInAnyOrderElementsOf(sent);
        List<AdapterVerifier.Verified> versions = decisions.versions();    // every one verifies
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).isEqualTo(i + 1L);
            assertThat(versions.get(i).event().parent()).isEqualTo((long) i);
        }
        List<CandidateDecisionEvent> made = decisions.decisions();
        long trained = versions.stream().filter(v -> !"rollback".equals(v.event().method())).count();
        assertThat(made.stream().filter(d -> d.outcome() == CandidateDecisionEvent.Outcome.PROMOTED)).hasSize((int) trained);
        assertThat(made).allSatisfy(d -> assertThat(d.gate().basePerplexityReference()).isPositive());
        assertThat(registry.get("dragon.learner.candidates").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(made.size());
        assertThat(registry.get("dragon.learner.examples").tag("source", "correction").counter().count())
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void feedbackForAnUnknownResponse_isDroppedAndCounted() {
        double before = dropped("unknown_response");

        events.send(FEEDBACK, "chatcmpl-nobody", Teaching.thumbsUp("fb-nobody", "chatcmpl-nobody", "t",
                System.currentTimeMillis()));

        await().atMost(Duration.ofMinutes(10)).until(() -> dropped("unknown_response") >= before + 1);
    }

    @Test
    void malformedFeedback_isDroppedAndCounted_andTheLearnerKeepsGoing() {
        double before = dropped("malformed");

        events.sendBytes(FEEDBACK, "x", "{not json".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofMinutes(10)).until(() -> dropped("malformed") >= before + 1);
        assertThat(loop.ready()).isTrue();
    }

    @Test
    void admin_rollsBackPinsAndUnpins_withSignedRecordsRoutersHonour() throws Exception {
        AdapterSignatures key = new AdapterSignatures(LearnerTestConfig.SIGNING_KEY);
        JsonNode listed = call("GET", "/admin/versions", null, 200);
        long latest = listed.path("latest").asLong();

        JsonNode rolled = call("POST", "/admin/versions/0/rollback", null, 200);

        assertThat(rolled.path("latest").asLong()).isEqualTo(latest + 1);
        AdapterVerifier.Verified rollback = new Decisions(events, SUFFIX, host).versions().stream()
                .filter(v -> v.version() == latest + 1).findFirst().orElseThrow();
        assertThat(rollback.event().rollbackOf()).isEqualTo(0L);
        assertThat(rollback.event().parent()).isEqualTo(latest);
        assertThat(rollback.event().checksum())
                .isEqualTo(AdapterWeights.checksum(host.baseWeights().w1(), host.baseWeights().w2()));

        JsonNode pinned = call("PUT", "/admin/pin", "{\"version\": 0}", 200);
        assertThat(pinned.path("pinned").asLong()).isZero();
        assertThat(pinned.path("live").asLong()).isZero();
        AdapterControlEvent pin = lastControl();
        assertThat(pin.action()).isEqualTo(AdapterControlEvent.Action.PIN);
        assertThat(key.verify(pin)).isTrue();

        JsonNode unpinned = call("DELETE", "/admin/pin", null, 200);
        assertThat(unpinned.path("pinned").isNull()).isTrue();
        assertThat(lastControl().action()).isEqualTo(AdapterControlEvent.Action.UNPIN);

        JsonNode missing = call("POST", "/admin/versions/9999/rollback", null, 404);
        assertThat(missing.path("error").path("code").asString()).isEqualTo("version_not_found");
        assertThat(missing.path("error").path("param").asString()).isEqualTo("version");
        assertThat(call("PUT", "/admin/pin", "{\"version\": \"x\"}", 400).path("error").path("param").asString())
                .isEqualTo("version");
        assertThat(call("PUT", "/admin/pin", "{not json", 400).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
        assertThat(call("POST", "/admin/versions/minus/rollback", null, 400).path("error").path("param").asString())
                .isEqualTo("version");
        assertThat(registry.get("dragon.learner.admin.requests").tag("action", "rollback").tag("status", "404")
                .counter().count()).isEqualTo(1);
    }

    private AdapterControlEvent lastControl() {
        return events.records(ADAPTERS).stream().filter(r -> EventTopics.CONTROL_KEY.equals(r.key()))
                .map(r -> events.codec().read(r.value(), AdapterControlEvent.class)).reduce((a, b) -> b).orElseThrow();
    }

    private JsonNode call(String method, String path, String body, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofMinutes(5))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        return JsonMapper.shared().readTree(response.body());
    }

    private double dropped(String reason) {
        var counter = registry.find("dragon.learner.feedback.dropped").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
