package dev.dragon.router.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.router.error.ApiErrorHandler;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.support.web.DragonHeaders;
import dev.dragon.support.web.RequestIdWebFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.config.EnableWebFlux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/feedback} through a real WebFlux stack (the router's own error handler) into a real KRaft broker.
 */
class FeedbackControllerIT {

    private static final String SUFFIX = UUID.randomUUID().toString();
    private static final String FEEDBACK_TOPIC = "dragon.feedback." + SUFFIX;

    private static AnnotationConfigApplicationContext context;
    private static WebTestClient client;

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    @Import(EventsConfiguration.class)
    static class Web {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        EventsProperties eventsProperties() {
            return new EventsProperties(true, KafkaTestBroker.shared().getBrokersAsString(), 100, 64,
                    Duration.ofMillis(200), Duration.ofSeconds(5),
                    new EventsProperties.Topics("dragon.interactions." + SUFFIX, FEEDBACK_TOPIC));
        }

        @Bean
        OpenAiJson openAiJson() {
            return new OpenAiJson();
        }

        @Bean
        ApiErrorHandler apiErrorHandler(MeterRegistry registry, OpenAiJson json) {
            return new ApiErrorHandler(new ErrorMapping(registry, 1), json);
        }

        @Bean
        RequestIdWebFilter requestIdWebFilter() {
            return new RequestIdWebFilter();
        }
    }

    @BeforeAll
    static void start() {
        context = new AnnotationConfigApplicationContext(Web.class);
        client = WebTestClient.bindToApplicationContext(context).build();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void feedback_isAccepted_andPublishedWithTheGatewaysTenantAndTheRequestId() {
        JsonNode body = post("{\"response_id\":\"chatcmpl-abc\",\"rating\":-1,\"corrected_completion\":\"Better.\"}",
                "acme", "req-feedback-1", 202);

        assertThat(body.path("object").asString()).isEqualTo("feedback");
        assertThat(body.path("response_id").asString()).isEqualTo("chatcmpl-abc");
        String id = body.path("id").asString();
        FeedbackEvent event = published(id);
        assertThat(event.schemaVersion()).isEqualTo(FeedbackEvent.SCHEMA_VERSION);
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.requestId()).isEqualTo("req-feedback-1");
        assertThat(event.rating()).isEqualTo(-1);
        assertThat(event.correctedCompletion()).isEqualTo("Better.");
        assertThat(event.responseId()).isEqualTo("chatcmpl-abc");
    }

    @Test
    void feedbackWithoutATenantHeader_isAnonymous() {
        JsonNode body = post("{\"response_id\":\"cmpl-xyz\",\"rating\":1}", null, null, 202);

        assertThat(published(body.path("id").asString()).tenant()).isEqualTo("anonymous");
    }

    @Test
    void invalidFeedback_isA400NamingTheField() {
        assertError("{\"rating\":1}", "response_id");
        assertError("{\"response_id\":\"chatcmpl-1\"}", "rating");
        assertError("{\"response_id\":\"chatcmpl-1\",\"rating\":2}", "rating");
        assertError("{\"response_id\":\"chatcmpl-1\",\"rating\":\"up\"}", "rating");
        assertError("{\"response_id\":\"chat cmpl/1\",\"rating\":1}", "response_id");
        assertError("{\"response_id\":\"chatcmpl-1\",\"rating\":1,\"corrected_completion\":\"\"}",
                "corrected_completion");
        assertError("{\"response_id\":\"chatcmpl-1\",\"rating\":1,\"corrected_completion\":\"" + "x".repeat(65) + "\"}",
                "corrected_completion");
        assertError("{\"response_id\":\"chatcmpl-1\",\"rating\":1,\"mood\":\"happy\"}", "mood");
        JsonNode malformed = post("{\"response_id\":", "acme", null, 400);
        assertThat(malformed.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(context.getBean(MeterRegistry.class).get("dragon.requests.rejected").tag("reason", "invalid")
                .counter().count()).isGreaterThanOrEqualTo(9);
    }

    private static void assertError(String json, String param) {
        JsonNode body = post(json, "acme", null, 400);
        assertThat(body.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("param").asString()).as(json).isEqualTo(param);
        assertThat(body.path("error").path("message").asString()).isNotBlank();
    }

    private static JsonNode post(String json, String tenant, String requestId, int status) {
        var spec = client.post().uri("/v1/feedback").contentType(MediaType.APPLICATION_JSON);
        if (tenant != null) {
            spec = spec.header(DragonHeaders.TENANT, tenant);
        }
        if (requestId != null) {
            spec = spec.header(DragonHeaders.REQUEST_ID, requestId);
        }
        byte[] body = spec.bodyValue(json).exchange().expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBody();
        return JsonMapper.shared().readTree(body);
    }

    private static FeedbackEvent published(String feedbackId) {
        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            records.clear();
            records.addAll(EventPublisherIT.readAtLeast(KafkaTestBroker.shared().getBrokersAsString(),
                    FEEDBACK_TOPIC, 1));
            return records.stream().anyMatch(r -> feedbackId.equals(event(r).feedbackId()));
        });
        return records.stream().map(FeedbackControllerIT::event).filter(e -> feedbackId.equals(e.feedbackId()))
                .findFirst().orElseThrow();
    }

    private static FeedbackEvent event(ConsumerRecord<String, byte[]> r) {
        return JsonMapper.shared().readValue(r.value(), FeedbackEvent.class);
    }
}
