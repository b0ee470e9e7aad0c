package dev.dragon.support.grpc;

import dev.dragon.support.web.DragonHeaders;
import dev.dragon.support.web.RequestIds;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.slf4j.MDC;

/** Carries {@code x-dragon-request-id} in gRPC metadata and puts it in the MDC while a call is handled. */
public final class RequestIdInterceptors {

    public static final Metadata.Key<String> KEY =
            Metadata.Key.of(DragonHeaders.REQUEST_ID, Metadata.ASCII_STRING_MARSHALLER);

    private RequestIdInterceptors() {
    }

    /** Client side: sends the caller's MDC request id, when there is one. */
    public static ClientInterceptor client() {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
                String id = MDC.get(RequestIds.KEY);
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        if (RequestIds.acceptable(id)) {
                            headers.put(KEY, id);
                        }
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** Server side: the request id of the call is in the MDC for every callback of the call. */
    public static ServerInterceptor server() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                String id = RequestIds.orGenerate(headers.get(KEY));
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                    private void within(Runnable r) {
                        MDC.put(RequestIds.KEY, id);
                        try {
                            r.run();
                        } finally {
                            MDC.remove(RequestIds.KEY);
                        }
                    }

                    @Override
                    public void onMessage(Q message) {
                        within(() -> super.onMessage(message));
                    }

                    @Override
                    public void onHalfClose() {
                        within(super::onHalfClose);
                    }

                    @Override
                    public void onCancel() {
                        within(super::onCancel);
                    }

                    @Override
                    public void onComplete() {
                        within(super::onComplete);
                    }

                    @Override
                    public void onReady() {
                        within(super::onReady);
                    }
                };
            }
        };
    }
}
