package dev.dragon.cache.grpc;

import dev.dragon.cache.admin.TenantAdmin;
import dev.dragon.cache.admin.TenantStatsView;
import dev.dragon.cache.error.CacheErrors;
import dev.dragon.cache.error.InvalidCacheRequestException;
import dev.dragon.cache.keys.ResponseKey;
import dev.dragon.cache.kv.KvStateCache;
import dev.dragon.cache.metrics.CacheMetrics;
import dev.dragon.cache.purge.PurgeFeed;
import dev.dragon.cache.response.ResponseCache;
import dev.dragon.contracts.v1.CacheFigures;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.FlushResult;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.PrefixLookup;
import dev.dragon.contracts.v1.PrefixLookupResult;
import dev.dragon.contracts.v1.PurgeNotice;
import dev.dragon.contracts.v1.PurgeWatch;
import dev.dragon.contracts.v1.ResponseLookup;
import dev.dragon.contracts.v1.ResponseLookupResult;
import dev.dragon.contracts.v1.ResponseStore;
import dev.dragon.contracts.v1.StoreResult;
import dev.dragon.contracts.v1.TenantRequest;
import dev.dragon.contracts.v1.TenantStats;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** {@code dragon.contracts.v1.CacheService}: validates each request, then hands it to the cache it is about. */
@Service
public class CacheGrpcService extends CacheServiceGrpc.CacheServiceImplBase {

    private final ResponseCache responses;
    private final KvStateCache states;
    private final TenantAdmin admin;
    private final CacheMetrics metrics;
    private final CacheErrors errors;
    private final PurgeFeed purges;

    public CacheGrpcService(ResponseCache responses, KvStateCache states, TenantAdmin admin, CacheMetrics metrics,
                            CacheErrors errors, PurgeFeed purges) {
        this.responses = responses;
        this.states = states;
        this.admin = admin;
        this.metrics = metrics;
        this.errors = errors;
        this.purges = purges;
    }

    @Override
    public void getResponse(ResponseLookup request, StreamObserver<ResponseLookupResult> out) {
        GrpcReplies.unary(Mono.defer(() -> {
            GrpcReplies.checkSchema(request.getSchemaVersion());
            ResponseKey key = ResponseKey.of(request.getTenant(), request.getModelVersion(), request.getAdapterVersion(),
                    request.getKey().toByteArray());
            return responses.get(key).map(found -> {
                ResponseLookupResult.Builder result = ResponseLookupResult.newBuilder()
                        .setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setFound(found.isPresent());
                found.ifPresent(result::setEntry);
                return result.build();
            });
        }), out, errors);
    }

    @Override
    public void putResponse(ResponseStore request, StreamObserver<StoreResult> out) {
        GrpcReplies.unary(Mono.defer(() -> {
            GrpcReplies.checkSchema(request.getSchemaVersion());
            ResponseKey key = ResponseKey.of(request.getTenant(), request.getModelVersion(), request.getAdapterVersion(),
                    request.getKey().toByteArray());
            if (!request.hasEntry()) {
                throw new InvalidCacheRequestException("entry", "a response store needs the entry to store");
            }
            return responses.put(key, request.getEntry());
        }), out, errors);
    }

    @Override
    public void findLongestPrefix(PrefixLookup request, StreamObserver<PrefixLookupResult> out) {
        GrpcReplies.unary(Mono.defer(() -> {
            PrefixQuery query = PrefixQuery.of(request, states.maxPrefixHashes());
            return states.findLongest(query.namespace(), query.hashes()).map(found -> {
                PrefixLookupResult.Builder result = PrefixLookupResult.newBuilder()
                        .setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setFound(found.isPresent());
                found.ifPresent(m -> result.setIndex(m.index()).setPrefixHash(request.getPrefixHashes(m.index()))
                        .setTokenCount(m.tokens()));
                return result.build();
            });
        }), out, errors);
    }

    @Override
    public void restoreLongestPrefix(PrefixLookup request, StreamObserver<KvStatePart> out) {
        KvRestoreStream.serve(request, out, states, errors);
    }

    @Override
    public void getKvState(KvStateLookup request, StreamObserver<KvStatePart> out) {
        KvGetStream.serve(request, out, states, metrics, errors);
    }

    @Override
    public StreamObserver<KvStatePart> putKvState(StreamObserver<StoreResult> out) {
        return new KvPutStream(out, states, metrics, errors);
    }

    @Override
    public void flush(TenantRequest request, StreamObserver<FlushResult> out) {
        GrpcReplies.unary(Mono.defer(() -> {
            GrpcReplies.checkSchema(request.getSchemaVersion());
            return admin.flush(request.getTenant()).map(deleted -> FlushResult.newBuilder()
                    .setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setTenant(request.getTenant())
                    .setDeletedKeys(deleted).build());
        }), out, errors);
    }

    @Override
    public void stats(TenantRequest request, StreamObserver<TenantStats> out) {
        GrpcReplies.unary(Mono.defer(() -> {
            GrpcReplies.checkSchema(request.getSchemaVersion());
            return admin.stats(request.getTenant()).map(CacheGrpcService::toProto);
        }), out, errors);
    }

    @Override
    public void watchPurges(PurgeWatch request, StreamObserver<PurgeNotice> out) {
        PurgeWatchStream.serve(request, out, purges, errors);
    }

    private static TenantStats toProto(TenantStatsView view) {
        return TenantStats.newBuilder().setSchemaVersion(GrpcReplies.SCHEMA_VERSION).setTenant(view.tenant())
                .setResponse(toProto(view.response())).setKv(toProto(view.kv())).build();
    }

    private static CacheFigures toProto(TenantStatsView.Figures f) {
        return CacheFigures.newBuilder().setEntries(f.entries()).setBytes(f.bytes()).setHits(f.hits())
                .setMisses(f.misses()).build();
    }
}
