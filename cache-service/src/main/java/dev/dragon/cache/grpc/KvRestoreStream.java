package dev.dragon.cache.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.kv.KvStateCache;
import dev.dragon.cache.kv.RestoredState;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateKey;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.PrefixLookup;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One RestoreLongestPrefix call: what a router's restore costs is this one round trip (and two Redis round
 * trips behind it, see {@link KvStateCache#restore}). The header (found or not, and which prefix), then the
 * found state's chunks. Cancelling the call stops the reads.
 */
final class KvRestoreStream {

    private KvRestoreStream() {
    }

    static void serve(PrefixLookup request, StreamObserver<KvStatePart> observer, KvStateCache cache, CacheErrors errors) {
        ServerCallStreamObserver<KvStatePart> out = (ServerCallStreamObserver<KvStatePart>) observer;
        Disposable.Swap subscription = Disposables.swap();
        out.setOnCancelHandler(subscription::dispose);
        Flux<KvStatePart> parts = Mono.fromCallable(() -> PrefixQuery.of(request, cache.maxPrefixHashes()))
                .flatMap(query -> cache.restore(query.namespace(), query.hashes()))
                .flatMapMany(found -> parts(request, found));
        subscription.update(GrpcReplies.withRequestId(parts)
                .subscribe(out::onNext, e -> out.onError(errors.toGrpc(e)), out::onCompleted));
    }

    private static Flux<KvStatePart> parts(PrefixLookup request, Optional<RestoredState> found) {
        KvStateHeader.Builder header = KvStateHeader.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION);
        if (found.isEmpty()) {
            return Flux.just(part(header.setFound(false).build()));
        }
        RestoredState s = found.get();
        header.setFound(true).setIndex(s.index())
                .setKey(KvStateKey.newBuilder().setTenant(request.getTenant()).setModel(request.getModel())
                        .setGatingVersion(request.getGatingVersion()).setPrefixHash(request.getPrefixHashes(s.index())))
                .setTokenCount(s.meta().tokens()).setTotalBytes(s.meta().bytes()).setChunkCount(s.meta().chunks());
        return Flux.concat(Flux.just(part(header.build())), Flux.fromIterable(s.chunks()).map(KvRestoreStream::chunk));
    }

    private static KvStatePart part(KvStateHeader header) {
        return KvStatePart.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setHeader(header).build();
    }

    private static KvStatePart chunk(byte[] data) {
        return KvStatePart.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION)
                .setChunk(UnsafeByteOperations.unsafeWrap(data)).build();
    }
}
