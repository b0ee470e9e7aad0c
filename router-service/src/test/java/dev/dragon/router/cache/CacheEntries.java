package dev.dragon.router.cache;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dragon.contracts.v1.CachedResponse;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Where {@link ContractCacheService} keeps its entries: in memory, or in a real Redis server. */
interface CacheEntries {

    /** A stored KV state: the prompt tokens it covers and its encoded bytes. */
    record KvEntry(int tokens, byte[] data) {
    }

    CachedResponse response(List<Object> key);

    void putResponse(List<Object> key, CachedResponse entry);

    KvEntry state(List<Object> key);

    void putState(List<Object> key, KvEntry entry);

    /** Deletes every entry of {@code tenant} (the first element of every key). */
    void flush(String tenant);

    static CacheEntries inMemory() {
        Map<List<Object>, CachedResponse> responses = new ConcurrentHashMap<>();
        Map<List<Object>, KvEntry> states = new ConcurrentHashMap<>();
        return new CacheEntries() {
            @Override
            public CachedResponse response(List<Object> key) {
                return responses.get(key);
            }

            @Override
            public void putResponse(List<Object> key, CachedResponse entry) {
                responses.put(key, entry);
            }

            @Override
            public KvEntry state(List<Object> key) {
                return states.get(key);
            }

            @Override
            public void putState(List<Object> key, KvEntry entry) {
                states.put(key, entry);
            }

            @Override
            public void flush(String tenant) {
                responses.keySet().removeIf(k -> k.getFirst().equals(tenant));
                states.keySet().removeIf(k -> k.getFirst().equals(tenant));
            }
        };
    }

    /**
     * Entries in the Redis server at {@code port} (Lettuce, commands refused at once while disconnected, 2 s
     * timeout): every call fails while Redis is down and works again once it is back, without a restart.
     */
    static Redis redis(int port) {
        return new Redis(port);
    }

    /** Redis-backed entries; close the connection when done. */
    final class Redis implements CacheEntries, AutoCloseable {

        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;

        private Redis(int port) {
            client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withTimeout(Duration.ofSeconds(2)).build());
            client.setOptions(ClientOptions.builder().autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
            connection = client.connect(ByteArrayCodec.INSTANCE);
        }

        private RedisCommands<byte[], byte[]> redis() {
            return connection.sync();
        }

        private static byte[] name(String kind, List<Object> key) {
            return (kind + ":" + key.stream().map(p -> p instanceof ByteString b ? HexFormat.of().formatHex(b.toByteArray())
                    : p.toString()).collect(Collectors.joining("|"))).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public CachedResponse response(List<Object> key) {
            byte[] value = redis().get(name("response", key));
            try {
                return value == null ? null : CachedResponse.parseFrom(value);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void putResponse(List<Object> key, CachedResponse entry) {
            redis().set(name("response", key), entry.toByteArray());
        }

        @Override
        public KvEntry state(List<Object> key) {
            byte[] value = redis().get(name("kv", key));
            if (value == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(value);
            int tokens = b.getInt();
            byte[] data = new byte[b.remaining()];
            b.get(data);
            return new KvEntry(tokens, data);
        }

        @Override
        public void putState(List<Object> key, KvEntry entry) {
            redis().set(name("kv", key), ByteBuffer.allocate(4 + entry.data().length).putInt(entry.tokens())
                    .put(entry.data()).array());
        }

        @Override
        public void flush(String tenant) {
            for (String kind : List.of("response", "kv")) {
                List<byte[]> keys = redis().keys((kind + ":" + tenant + "|*").getBytes(StandardCharsets.UTF_8));
                if (!keys.isEmpty()) {
                    redis().del(keys.toArray(byte[][]::new));
                }
            }
        }

        /** Keys stored under {@code kind} ({@code response} or {@code kv}). */
        long count(String kind) {
            return redis().keys((kind + ":*").getBytes(StandardCharsets.UTF_8)).size();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
