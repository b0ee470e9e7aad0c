package dev.dragon.cache.config;

import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ServerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;

/** Every gRPC call runs with its caller's request id (or a fresh one) in the logging MDC. */
@Configuration(proxyBeanMethods = false)
public class GrpcServerConfiguration {

    @Bean
    @GlobalServerInterceptor
    ServerInterceptor requestIdServerInterceptor() {
        return RequestIdInterceptors.server();
    }
}
