package dev.dragon.cache.testing;

import com.google.protobuf.ByteString;
import dev.dragon.contracts.v1.CacheServiceGrpc;
import dev.dragon.contracts.v1.CachedResponse;
import dev.dragon.contracts.v1.KvStateHeader;
import dev.dragon.contracts.v1.KvStateKey;
import dev.dragon.contracts.v1.KvStateLookup;
import dev.dragon.contracts.v1.KvStatePart;
import dev.dragon.contracts.v1.PrefixLookup;
import dev.dragon.contracts.v1.PrefixLookupResult;
import dev.dragon.contracts.v1.ResponseLookup;
import dev.dragon.contracts.v1.ResponseLookupResult;
import dev.dragon.contracts.v1.ResponseStore;
import dev.dragon.contracts.v1.StoreResult;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Calls a running cache-service over gRPC the way a router would, with generous deadlines. */
public final class CacheTestClient {

    public static final long DEADLINE_SECONDS = 30;

    private final ManagedChannel channel;

    public CacheTestClient(ManagedChannel channel) {
        this.channel = channel;
    }

    public CacheServiceGrpc.CacheServiceBlockingStub blocking() {
        return CacheServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ResponseLookupResult get(String tenant, String model, String adapter, byte[] key) {
        return blocking().getResponse(ResponseLookup.newBuilder().setSchemaVersion(1).setTenant(tenant)
                .setModelVersion(model).setAdapterVersion(adapter).setKey(ByteString.copyFrom(key)).build());
    }

    public StoreResult put(String tenant, String model, String adapter, byte[] key, byte[] body) {
        return blocking().putResponse(ResponseStore.newBuilder().setSchemaVersion(1).setTenant(tenant)
                .setModelVersion(model).setAdapterVersion(adapter).setKey(ByteString.copyFrom(key))
                .setEntry(entry(body)).build());
    }

    /** The entry {@link #put} stores for {@code body}. */
    public static CachedResponse entry(byte[] body) {
        return CachedResponse.newBuilder().setSchemaVersion(1).setBody(ByteString.copyFrom(body))
                .setContentType("application/json").setCreatedUnixMs(1_700_000_000_000L).build();
    }

    public static KvStateKey kvKey(String tenant, String model, String gating, byte[] hash) {
        return KvStateKey.newBuilder().setTenant(tenant).setModel(model).setGatingVersion(gating)
                .setPrefixHash(ByteString.copyFrom(hash)).build();
    }

    /** Stores {@code state} in chunks of at most {@code chunkSize} bytes. */
    public StoreResult putKv(KvStateKey key, int tokens, byte[] state, int chunkSize) {
        List<KvStatePart> parts = new ArrayList<>();
        int chunks = (state.length + chunkSize - 1) / chunkSize;
        parts.add(header(key, tokens, state.length, chunks));
        for (int from = 0; from < state.length; from += chunkSize) {
            parts.add(chunk(java.util.Arrays.copyOfRange(state, from, Math.min(state.length, from + chunkSize))));
        }
        return putKvParts(parts);
    }

    public static KvStatePart header(KvStateKey key, int tokens, long totalBytes, int chunks) {
        return KvStatePart.newBuilder().setSchemaVersion(1).setHeader(KvStateHeader.newBuilder().setSchemaVersion(1)
                .setKey(key).setTokenCount(tokens).setTotalBytes(totalBytes).setChunkCount(chunks)).build();
    }

    public static KvStatePart chunk(byte[] data) {
        return KvStatePart.newBuilder().setSchemaVersion(1).setChunk(ByteString.copyFrom(data)).build();
    }

    /** Sends {@code parts} as one PutKvState stream; throws the call's StatusRuntimeException on failure. */
    public StoreResult putKvParts(List<KvStatePart> parts) {
        CompletableFuture<StoreResult> result = new CompletableFuture<>();
        StreamObserver<KvStatePart> requests = CacheServiceGrpc.newStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .putKvState(new StreamObserver<>() {
                    @Override
                    public void onNext(StoreResult value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(null);
                    }
                });
        parts.forEach(requests::onNext);
        requests.onCompleted();
        try {
            return result.get(DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fetched state: its header and the concatenated chunks (null when not found). */
    public record Fetched(KvStateHeader header, byte[] data, int chunks) {
    }

    public Fetched getKv(KvStateKey key) {
        return gather(blocking().getKvState(KvStateLookup.newBuilder().setSchemaVersion(1).setKey(key).build()));
    }

    /** RestoreLongestPrefix (header and chunks, as GetKvState's); throws the call's StatusRuntimeException on failure. */
    public Fetched restore(String tenant, String model, String gating, List<byte[]> hashes) {
        return gather(blocking().restoreLongestPrefix(lookup(tenant, model, gating, hashes)));
    }

    private static Fetched gather(Iterator<KvStatePart> parts) {
        KvStateHeader header = parts.next().getHeader();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int chunks = 0;
        while (parts.hasNext()) {
            data.writeBytes(parts.next().getChunk().toByteArray());
            chunks++;
        }
        return new Fetched(header, header.getFound() ? data.toByteArray() : null, chunks);
    }

    public static PrefixLookup lookup(String tenant, String model, String gating, List<byte[]> hashes) {
        return PrefixLookup.newBuilder().setSchemaVersion(1).setTenant(tenant).setModel(model).setGatingVersion(gating)
                .addAllPrefixHashes(hashes.stream().map(ByteString::copyFrom).toList()).build();
    }

    public PrefixLookupResult find(String tenant, String model, String gating, List<byte[]> hashes) {
        return blocking().findLongestPrefix(lookup(tenant, model, gating, hashes));
    }
}
