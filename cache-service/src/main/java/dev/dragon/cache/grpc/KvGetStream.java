package dev.dragon.cache.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.error.KvStateEvictedException;
import dev.dragon.cache.keys.KvKey;
import dev.dragon.cache.kv.KvStateCache;
import dev.dragon.cache.metrics.CacheKind;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.KvStatePart;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One GetKvState call: the header (found or not), then each chunk as Redis returns it, one Redis read
 * at a time. Cancelling the call stops the reads.
 */
final class KvGetStream {

    private KvGetStream() {
    }

    static void serve(KvStateLookup request, StreamObserver<KvStatePart> observer, KvStateCache cache,
                      CacheMetrics metrics, CacheErrors errors) {
        ServerCallStreamObserver<KvStatePart> out = (ServerCallStreamObserver<KvStatePart>) observer;
        Disposable.Swap subscription = Disposables.swap();
        out.setOnCancelHandler(subscription::dispose);
        Flux<KvStatePart> parts = Mono.fromCallable(() -> {
                    GrpcReplies.checkSchema(request.getSchemaVersion());
                    var k = request.getKey();
                    return KvKey.of(k.getTenant(), k.getModel(), k.getGatingVersion(), k.getPrefixHash().toByteArray());
                })
                .flatMapMany(key -> cache.meta(key).flatMapMany(meta -> {
                    KvStateHeader.Builder header = KvStateHeader.newBuilder()
                            .setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setKey(request.getKey());
                    if (meta.isEmpty()) {
                        metrics.miss(CacheKind.KV);
                        return Flux.just(part(header.setFound(false).build()));
                    }
                    var m = meta.get();
                    header.setFound(true).setTokenCount(m.tokens()).setTotalBytes(m.bytes()).setChunkCount(m.chunks());
                    return Flux.concat(Flux.just(part(header.build())),
                            cache.chunks(key, m).map(KvGetStream::chunk));
                }))
                .doOnError(KvStateEvictedException.class, e -> metrics.miss(CacheKind.KV));
        subscription.update(GrpcReplies.withRequestId(parts)
                .subscribe(out::onNext, e -> out.onError(errors.toGrpc(e)), out::onCompleted));
    }

    private static KvStatePart part(KvStateHeader header) {
        return KvStatePart.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setHeader(header).build();
    }

    private static KvStatePart chunk(byte[] data) {
        return KvStatePart.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION)
                .setChunk(UnsafeByteOperations.unsafeWrap(data)).build();
    }
}
