package dev.dragon.gateway.auth;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads and changes the gateway's Redis data directly, as another replica would, so tests see what is stored. */
final class KeyStoreAccess {

    private KeyStoreAccess() {
    }

    /** Marks a key revoked in Redis without going through this gateway. */
    static void revokeBehindTheGatewaysBack(int redisPort, String keyId) {
        with(redisPort, redis -> {
            String hash = redis.get("dragon:gw:keyid:" + keyId);
            String record = redis.get("dragon:gw:key:" + hash);
            String revoked = record.replace("\"revoked_at\":null", "\"revoked_at\":" + System.currentTimeMillis());
            if (revoked.equals(record)) {
                throw new IllegalStateException("unexpected record " + record);
            }
            return redis.set("dragon:gw:key:" + hash, revoked);
        });
    }

    /** Every key name and string or set value stored under the gateway's prefix. */
    static List<String> allValues(int redisPort) {
        return with(redisPort, redis -> {
            List<String> values = new ArrayList<>();
            for (String key : redis.keys("dragon:gw:*")) {
                values.add(key);
                switch (redis.type(key)) {
                    case "string" -> values.add(redis.get(key));
                    case "set" -> values.addAll(redis.smembers(key));
                    default -> {
                    }
                }
            }
            return values;
        });
    }

    private static <T> T with(int redisPort, Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
