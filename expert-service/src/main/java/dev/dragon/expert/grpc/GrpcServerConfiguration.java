package dev.dragon.expert.grpc;

import dev.dragon.expert.inference.ExpertDispatcher;
import dev.dragon.expert.inference.ExpertMetrics;
import dev.dragon.support.grpc.RequestIdInterceptors;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * The gRPC service, its error mapping, the request id in the MDC of every call, and calls run on the
 * transport thread that read them.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcServerConfiguration {

    @Bean
    ExpertDispatchGrpcService expertDispatchGrpcService(ExpertDispatcher dispatcher, ExpertExceptionHandler errors) {
        return new ExpertDispatchGrpcService(dispatcher, errors);
    }

    @Bean
    ExpertExceptionHandler expertExceptionHandler(ExpertMetrics metrics) {
        return new ExpertExceptionHandler(metrics);
    }

    /**
     * A dispatch call runs where Netty decoded it instead of being handed to gRPC's default cached thread
     * pool: one thread wake-up less per call. A call is a short, bounded ONNX run with no blocking I/O, and
     * each router connection has its own event loop, so calls from different routers still run in parallel.
     */
    @Bean
    ServerBuilderCustomizer<NettyServerBuilder> runCallsOnTheTransportThread() {
        return NettyServerBuilder::directExecutor;
    }

    /** Outermost, so the id is in the MDC also while the exception handler logs. */
    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ServerInterceptor requestIdServerInterceptor() {
        return RequestIdInterceptors.server();
    }
}
