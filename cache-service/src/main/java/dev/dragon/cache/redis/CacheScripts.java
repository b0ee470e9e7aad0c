package dev.dragon.cache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/** The Lua scripts under {@code resources/scripts}: each does one cache operation in one atomic round trip. */
@Component
@SuppressWarnings("rawtypes")
public class CacheScripts {

    private final RedisScript<byte[]> responseGet = script("resp_get", byte[].class);
    private final RedisScript<Long> responsePut = indexingScript("resp_put");
    private final RedisScript<List> kvFind = script("kv_find", List.class);
    private final RedisScript<List> kvRestore = script("kv_restore", List.class);
    private final RedisScript<Long> kvEvicted = script("kv_evicted", Long.class);
    private final RedisScript<Long> kvCommit = indexingScript("kv_commit");
    private final RedisScript<List> tenantStats = script("tenant_stats", List.class);
    private final RedisScript<List> entries = script("entries", List.class);
    private final RedisScript<byte[]> purgeAppend = script("purge_append", byte[].class);

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        return RedisScript.of(new ClassPathResource("scripts/" + name + ".lua"), type);
    }

    /** A script that stores an entry, with index.lua's {@code index_entry} function in front of it. */
    private static RedisScript<Long> indexingScript(String name) {
        return RedisScript.of(text("index") + "\n" + text(name), Long.class);
    }

    private static String text(String name) {
        try {
            return new ClassPathResource("scripts/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scripts/" + name + ".lua", e);
        }
    }

    /** Script arguments as the binary values the template sends (text as UTF-8, numbers in decimal). */
    public static List<byte[]> args(Object... values) {
        return Arrays.stream(values)
                .map(v -> v instanceof byte[] b ? b : String.valueOf(v).getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    public RedisScript<byte[]> responseGet() {
        return responseGet;
    }

    public RedisScript<Long> responsePut() {
        return responsePut;
    }

    public RedisScript<List> kvFind() {
        return kvFind;
    }

    public RedisScript<List> kvRestore() {
        return kvRestore;
    }

    public RedisScript<Long> kvEvicted() {
        return kvEvicted;
    }

    public RedisScript<Long> kvCommit() {
        return kvCommit;
    }

    public RedisScript<List> tenantStats() {
        return tenantStats;
    }

    public RedisScript<List> entries() {
        return entries;
    }

    public RedisScript<byte[]> purgeAppend() {
        return purgeAppend;
    }
}
