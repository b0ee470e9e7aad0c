package dev.dragon.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.v1.ServiceHealthGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import tools.jackson.databind.json.JsonMapper;

/** Boots cache-service on random ports and checks what operators and callers rely on:
 * HTTP health, metrics, and the gRPC server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
class CacheApplicationIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired GrpcPort grpcPort;

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
    assertThat(response.body()).contains("jvm_memory_used_bytes").contains("application=\"cache-service\"");
  }

  @Test
  void grpcServerAnswersStandardHealthChecks() throws Exception {
    ManagedChannel channel = grpcChannel();
    try {
      HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());

      assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcServerAnswersTheContractsHealthService() throws Exception {
    ManagedChannel channel = grpcChannel();
    try {
      dev.dragon.contracts.v1.HealthCheckResponse response = ServiceHealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(dev.dragon.contracts.v1.HealthCheckRequest.newBuilder().setCaller("it").build());

      assertThat(response.getStatus()).isEqualTo(dev.dragon.contracts.v1.HealthCheckResponse.Status.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel grpcChannel() {
    return ManagedChannelBuilder.forAddress("localhost", grpcPort.value()).usePlaintext().build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Captures the port the gRPC server bound to (the test asks for port 0). */
  static final class GrpcPort {
    private final AtomicInteger port = new AtomicInteger();

    @EventListener
    void onStarted(GrpcServerStartedEvent event) {
      port.set(event.getPort());
    }

    int value() {
      assertThat(port.get()).as("gRPC server port").isPositive();
      return port.get();
    }
  }

  @TestConfiguration
  static class GrpcPortConfig {
    @Bean
    GrpcPort grpcPort() {
      return new GrpcPort();
    }
  }
}
