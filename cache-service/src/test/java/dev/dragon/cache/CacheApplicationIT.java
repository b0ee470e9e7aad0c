package dev.dragon.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.contracts.v1.ServiceHealthGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.json.JsonMapper;

/** Boots cache-service on random ports and checks what operators and callers rely on:
 * HTTP health and metrics on the management port, and the gRPC server. */
@CacheServiceTest
class CacheApplicationIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalManagementPort int managementPort;

    @Autowired ManagedChannel cacheChannel;

    @Test
    void actuatorHealth_isUp_withRedisAndProbeGroups() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(health.body()).path("status").asString()).isEqualTo("UP");
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusEndpoint_exposesEveryCacheServiceMetricOfTheCatalogue() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("application=\"cache-service\"");
        List<String> catalogue = cacheServiceMetrics();
        assertThat(catalogue).contains("dragon_cache_hits_total", "dragon_cache_redis_up");
        for (String metric : catalogue) {
            assertThat(response.body()).as("metric %s", metric).containsPattern("(?m)^" + metric + "(_bucket|_count)?\\{");
        }
    }

    @Test
    void grpcServer_answersStandardHealthChecks() {
        HealthCheckResponse response = HealthGrpc.newBlockingStub(cacheChannel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void grpcServer_answersTheContractsHealthService() {
        dev.dragon.contracts.v1.HealthCheckResponse response = ServiceHealthGrpc.newBlockingStub(cacheChannel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(dev.dragon.contracts.v1.HealthCheckRequest.newBuilder().setCaller("it").build());

        assertThat(response.getStatus()).isEqualTo(dev.dragon.contracts.v1.HealthCheckResponse.Status.SERVING);
    }

    /** The metric names of docs/metrics.md's cache-service table. */
    private static List<String> cacheServiceMetrics() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        String section = doc.substring(doc.indexOf("## cache-service"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Matcher m = Pattern.compile("(?m)^\\| `(dragon_[a-z_]+)`").matcher(section);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
