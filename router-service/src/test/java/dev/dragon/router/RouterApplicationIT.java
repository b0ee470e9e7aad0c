package dev.dragon.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** Boots router-service on a random port and checks what operators rely on: health and metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RouterApplicationIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Test
  void actuatorHealthIsUp() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JsonMapper.shared().readTree(response.body()).path("status").asString()).isEqualTo("UP");
  }

  @Test
  void prometheusEndpointExposesTaggedMetrics() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("jvm_memory_used_bytes").contains("application=\"router-service\"");
  }

  @Test
  void prometheusEndpointExposesTheRouterMetricsOfTheCatalogue_afterTraffic() throws Exception {
    HttpResponse<String> ok = post("/v1/completions",
        "{\"model\":\"dragon-moe-mini\",\"prompt\":\"Once\",\"max_tokens\":3,\"stream\":true}");
    HttpResponse<String> bad = post("/v1/completions", "{\"model\":\"dragon-moe-mini\",\"prompt\":\"Once\",\"n\":2}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(bad.statusCode()).isEqualTo(400);

    String metrics = get("/actuator/prometheus").body();

    assertThat(metrics).contains(
        "dragon_time_to_first_token_seconds_bucket",
        "dragon_inter_token_latency_seconds_bucket",
        "dragon_e2e_request_latency_seconds_bucket{application=\"router-service\",finish_reason=\"length\"",
        "dragon_queue_time_seconds_bucket",
        "dragon_prompt_tokens_total",
        "dragon_prompt_tokens_cached_total",
        "dragon_generation_tokens_total",
        "dragon_sequences_running",
        "dragon_sequences_waiting",
        "dragon_batch_size_count{application=\"router-service\",phase=\"prefill\"}",
        "dragon_batch_size_count{application=\"router-service\",phase=\"decode\"}",
        "dragon_step_duration_seconds_bucket",
        "dragon_requests_total{application=\"router-service\",endpoint=\"completions\",status=\"200\"}",
        "dragon_requests_total{application=\"router-service\",endpoint=\"completions\",status=\"400\"}",
        "dragon_requests_rejected_total{application=\"router-service\",reason=\"invalid\"}",
        "dragon_requests_rejected_total{application=\"router-service\",reason=\"queue_full\"}",
        "dragon_expert_tokens_total{application=\"router-service\",expert=\"0\",layer=\"0\"}",
        "dragon_expert_load_imbalance{application=\"router-service\",layer=\"3\"}",
        "dragon_experts_per_token",
        "dragon_dispatch_share");
    assertThat(value(metrics, "dragon_experts_per_token{application=\"router-service\"}")).isPositive();
    assertThat(value(metrics, "dragon_generation_tokens_total{application=\"router-service\"}")).isGreaterThanOrEqualTo(3);
  }

  private static double value(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no series " + series));
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
