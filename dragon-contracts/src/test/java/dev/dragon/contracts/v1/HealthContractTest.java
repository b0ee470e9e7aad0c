package dev.dragon.contracts.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checks that the generated message and gRPC classes work end to end. */
class HealthContractTest {

  @Test
  void messageRoundTripsThroughTheWireFormat() throws Exception {
    HealthCheckResponse response = HealthCheckResponse.newBuilder()
        .setStatus(HealthCheckResponse.Status.SERVING)
        .setModelVersion("1.0.0")
        .build();

    HealthCheckResponse parsed = HealthCheckResponse.parseFrom(response.toByteArray());

    assertThat(parsed).isEqualTo(response);
  }

  @Test
  void generatedStubCallsGeneratedService() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name)
        .directExecutor()
        .addService(new ServiceHealthGrpc.ServiceHealthImplBase() {
          @Override
          public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
            observer.onNext(HealthCheckResponse.newBuilder()
                .setStatus(HealthCheckResponse.Status.SERVING)
                .setModelVersion("seen " + request.getCaller())
                .build());
            observer.onCompleted();
          }
        })
        .build()
        .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      HealthCheckResponse reply = ServiceHealthGrpc.newBlockingStub(channel)
          .check(HealthCheckRequest.newBuilder().setCaller("test").build());

      assertThat(reply.getStatus()).isEqualTo(HealthCheckResponse.Status.SERVING);
      assertThat(reply.getModelVersion()).isEqualTo("seen test");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
