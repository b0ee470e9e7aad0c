package dev.dragon.cache.grpc;

import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.error.InvalidCacheRequestException;
import dev.dragon.support.web.RequestIds;
import io.grpc.stub.StreamObserver;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** Bridges reactive replies to gRPC observers; errors go through {@link CacheErrors}. */
final class GrpcReplies {

    static final int SCHEMA_VERSION = 1;

    private GrpcReplies() {
    }

    static void checkSchema(int version) {
        if (version != SCHEMA_VERSION) {
            throw InvalidCacheRequestException.unsupportedSchema(version);
        }
    }

    /** Sends the one value {@code reply} produces, or the mapped error. */
    static <T> void unary(Mono<T> reply, StreamObserver<T> out, CacheErrors errors) {
        reply.switchIfEmpty(Mono.error(() -> new IllegalStateException("no reply")))
                .contextWrite(requestContext())
                .subscribe(value -> {
                    out.onNext(value);
                    out.onCompleted();
                }, e -> out.onError(errors.toGrpc(e)));
    }

    /**
     * The calling thread's request id (put in the MDC by the gRPC server interceptor) as Reactor context,
     * from where context propagation restores it in the MDC on whichever thread Redis answers.
     */
    static Context requestContext() {
        String id = MDC.get(RequestIds.KEY);
        return id == null ? Context.empty() : Context.of(RequestIds.KEY, id);
    }

    static <T> Flux<T> withRequestId(Flux<T> flux) {
        return flux.contextWrite(requestContext());
    }
}
