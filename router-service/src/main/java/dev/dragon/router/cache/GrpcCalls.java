package dev.dragon.router.cache;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/** gRPC async-stub calls as Reactor publishers; cancelling the subscription cancels the call. */
final class GrpcCalls {

    private GrpcCalls() {
    }

    /** A unary call: {@code method} is e.g. {@code stub::getResponse}. */
    static <Q, A> Mono<A> unary(BiConsumer<Q, StreamObserver<A>> method, Q request) {
        return Mono.create(sink -> method.accept(request, new SingleReply<>(sink)));
    }

    /** A server-streaming call: every message, in order. */
    static <Q, A> Flux<A> serverStream(BiConsumer<Q, StreamObserver<A>> method, Q request) {
        return Flux.create(sink -> method.accept(request, new ClientResponseObserver<Q, A>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> call) {
                sink.onCancel(() -> call.cancel("caller cancelled", null));
            }

            @Override
            public void onNext(A value) {
                sink.next(value);
            }

            @Override
            public void onError(Throwable t) {
                sink.error(t);
            }

            @Override
            public void onCompleted() {
                sink.complete();
            }
        }));
    }

    /** A client-streaming call sending {@code requests}, then its one reply. */
    static <Q, A> Mono<A> clientStream(Function<StreamObserver<A>, StreamObserver<Q>> method, List<Q> requests) {
        return Mono.create(sink -> {
            StreamObserver<Q> out = method.apply(new SingleReply<>(sink));
            try {
                requests.forEach(out::onNext);
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(e);
            }
        });
    }

    /** Completes a Mono with a call's single reply (or its error); cancels the call when the Mono is cancelled. */
    private static final class SingleReply<Q, A> implements ClientResponseObserver<Q, A> {

        private final MonoSink<A> sink;

        SingleReply(MonoSink<A> sink) {
            this.sink = sink;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> call) {
            sink.onCancel(() -> call.cancel("caller cancelled", null));
        }

        @Override
        public void onNext(A value) {
            sink.success(value);
        }

        @Override
        public void onError(Throwable t) {
            sink.error(t);
        }

        @Override
        public void onCompleted() {
            sink.success();
        }
    }
}
