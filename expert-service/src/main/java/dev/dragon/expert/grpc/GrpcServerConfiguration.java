package dev.dragon.expert.grpc;

import dev.dragon.expert.inference.ExpertDispatcher;
import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ServerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;

/** The gRPC service, its error mapping, and the request id in the MDC of every call. */
@Configuration(proxyBeanMethods = false)
public class GrpcServerConfiguration {

    @Bean
    ExpertDispatchGrpcService expertDispatchGrpcService(ExpertDispatcher dispatcher) {
        return new ExpertDispatchGrpcService(dispatcher);
    }

    @Bean
    ExpertExceptionHandler expertExceptionHandler(ExpertMetrics metrics) {
        return new ExpertExceptionHandler(metrics);
    }

    /** Outermost, so the id is in the MDC also while the exception handler logs. */
    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ServerInterceptor requestIdServerInterceptor() {
        return RequestIdInterceptors.server();
    }
}
