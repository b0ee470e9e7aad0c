package dev.dragon.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.learning.testing.LearnerTestConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Boots online-learning-service on a random port and checks what operators rely on: health and metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OnlineLearningApplicationIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void learner(DynamicPropertyRegistry registry) {
        LearnerTestConfig.register(registry, "boot");
    }

    @LocalServerPort
    int port;

    @Test
    void actuatorHealthIsUp() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(response.body()).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusEndpointExposesTheLearnerMetrics() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes")
                .contains("application=\"online-learning-service\"")
                .contains("dragon_learner_live_adapter_version")
                .contains("dragon_learner_heldout_perplexity")
                .contains("dragon_learner_update_seconds");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
