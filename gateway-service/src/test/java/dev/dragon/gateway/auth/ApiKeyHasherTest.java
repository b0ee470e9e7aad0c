package dev.dragon.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyHasherTest {

    private final ApiKeyHasher hasher = new ApiKeyHasher("pepper-one");

    @Test
    void newKeys_carryTheirPublicId_andAreUnique() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = hasher.newKeyId();
            String key = hasher.newKey(id);
            assertThat(id).matches("[0-9a-f]{12}");
            assertThat(key).startsWith("dgn_" + id + "_").hasSizeGreaterThanOrEqualTo(4 + 12 + 1 + 43);
            keys.add(key);
        }
        assertThat(keys).hasSize(200);
    }

    @Test
    void hash_isStable_dependsOnThePepper_andDoesNotContainTheKey() {
        String key = hasher.newKey(hasher.newKeyId());
        String hash = hasher.hash(key);
        assertThat(hash).matches("[0-9a-f]{64}").isEqualTo(hasher.hash(key)).doesNotContain(key);
        assertThat(new ApiKeyHasher("pepper-two").hash(key)).isNotEqualTo(hash);
        assertThat(hasher.hash(key + "x")).isNotEqualTo(hash);
    }

    @Test
    void hashing_isSafeFromManyThreads() throws Exception {
        String key = hasher.newKey(hasher.newKeyId());
        String expected = hasher.hash(key);
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    seen.add(hasher.hash(key));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(seen).containsExactly(expected);
    }

    @Test
    void bootstrapKeyId_isDerivedFromTheHash_notTheKeyText() {
        String id = hasher.bootstrapKeyId("my-dev-key-123456");
        assertThat(id).startsWith("boot").doesNotContain("my-dev-key");
        assertThat(hasher.hash("my-dev-key-123456")).startsWith(id.substring(4));
    }

    @Test
    void blankPepper_isRefused() {
        assertThatThrownBy(() -> new ApiKeyHasher(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bearerKey_isTakenFromTheHeaderCaseInsensitively() {
        assertThat(Authenticator.bearerKey("Bearer abc")).isEqualTo("abc");
        assertThat(Authenticator.bearerKey("bearer  abc ")).isEqualTo("abc");
        assertThat(Authenticator.bearerKey("Basic abc")).isNull();
        assertThat(Authenticator.bearerKey("Bearer ")).isNull();
        assertThat(Authenticator.bearerKey(null)).isNull();
    }
}
