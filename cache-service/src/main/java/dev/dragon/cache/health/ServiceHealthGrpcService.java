package dev.dragon.cache.health;

import dev.dragon.contracts.v1.HealthCheckRequest;
import dev.dragon.contracts.v1.HealthCheckResponse;
import dev.dragon.contracts.v1.ServiceHealthGrpc;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/**
 * Answers {@code dragon.contracts.v1.ServiceHealth/Check}. Spring gRPC starts the gRPC server only
 * when the context holds at least one gRPC service, so this one also keeps the port open until the
 * real services arrive. No model is loaded yet, so {@code model_version} stays empty.
 */
@Service
public class ServiceHealthGrpcService extends ServiceHealthGrpc.ServiceHealthImplBase {

  @Override
  public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
    responseObserver.onNext(HealthCheckResponse.newBuilder()
        .setStatus(HealthCheckResponse.Status.SERVING)
        .build());
    responseObserver.onCompleted();
  }
}
