package dev.dragon.cache.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.error.InvalidCacheRequestException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CacheKeysTest {

    private static final byte[] HASH = new byte[32];

    private static CacheProperties defaults() {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate("dragon.cache", CacheProperties.class);
    }

    private final CacheKeys keys = new CacheKeys(defaults());

    /** Redis glob semantics for the only metacharacter the layout uses in patterns. */
    private static boolean globMatches(String pattern, String key) {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")).matcher(key).matches();
    }

    @Test
    void layout_namespacesEveryKeyByTenantAndVersions() {
        ResponseKey response = ResponseKey.of("acme", "dragon-moe-mini@1.0.0", "3", HASH);
        KvKey kv = KvKey.of("acme", "dragon-moe-mini@1.0.0", "topk2", HASH);
        String zeros = "0".repeat(64);

        assertThat(keys.response(response)).isEqualTo("dragon:cache:v1:t:acme:resp:dragon-moe-mini@1.0.0:3:" + zeros);
        assertThat(keys.kvMeta(kv)).isEqualTo("dragon:cache:v1:t:acme:kv:dragon-moe-mini@1.0.0:topk2:" + zeros);
        assertThat(keys.kvChunk(keys.kvMeta(kv), "ab12", 4)).isEqualTo(keys.kvMeta(kv) + ":ab12:4");
        assertThat(keys.responseIndex("acme")).isEqualTo("dragon:cache:v1:t:acme:idx:resp");
        assertThat(keys.kvIndex("acme")).isEqualTo("dragon:cache:v1:t:acme:idx:kv");
        assertThat(keys.stats("acme")).isEqualTo("dragon:cache:v1:t:acme:stats");
        assertThat(keys.responseBase("acme") + keys.responseMember(response)).isEqualTo(keys.response(response));
        assertThat(keys.kvBase("acme") + keys.kvMember(kv)).isEqualTo(keys.kvMeta(kv));
    }

    @Test
    void aTenantsFlushPattern_matchesAllOfItsKeys_andNoneOfAnotherTenant() {
        List<String> tenants = List.of("acme", "acme2", "acm", "a.cme", "acme-eu");
        for (String tenant : tenants) {
            String pattern = keys.tenantPattern(tenant);
            for (String owner : tenants) {
                List<String> owned = List.of(
                        keys.response(ResponseKey.of(owner, "m@1", "0", HASH)),
                        keys.kvMeta(KvKey.of(owner, "m@1", "g", HASH)),
                        keys.responseIndex(owner), keys.kvIndex(owner), keys.stats(owner));
                for (String key : owned) {
                    assertThat(globMatches(pattern, key)).as("%s matches %s", pattern, key).isEqualTo(owner.equals(tenant));
                }
            }
            assertThat(globMatches(pattern, keys.tenants())).isFalse();
        }
    }

    @Test
    void sameRequestHashOfTwoTenants_givesTwoKeys() {
        assertThat(keys.response(ResponseKey.of("a", "m@1", "0", HASH)))
                .isNotEqualTo(keys.response(ResponseKey.of("b", "m@1", "0", HASH)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "a*", "a?", "[a]", "a b", "ä", "a\\b", "0123456789012345678901234567890123456789012345678901234567890123x"})
    void tenantsThatCouldBreakTheLayout_areRejected(String tenant) {
        assertThatThrownBy(() -> Names.tenant(tenant)).isInstanceOf(InvalidCacheRequestException.class)
                .extracting(e -> ((InvalidCacheRequestException) e).param()).isEqualTo("tenant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "ACME_eu-1", "t.42", "0123456789012345678901234567890123456789012345678901234567890123"})
    void ordinaryTenants_areAccepted(String tenant) {
        assertThat(Names.tenant(tenant)).isEqualTo(tenant);
    }

    @Test
    void versionsAndHashes_areValidated() {
        assertThat(Names.name("model", "dragon-moe-mini@1.0.0+build.5")).isNotEmpty();
        assertThatThrownBy(() -> Names.name("model", "m:1")).hasMessageContaining("got \"m:1\"");
        assertThatThrownBy(() -> Names.name("model", null)).hasMessageContaining("got nothing");
        assertThatThrownBy(() -> Names.hash("key", new byte[33])).hasMessageContaining("33 bytes");
        assertThat(Names.unhex(Names.hash("key", HASH))).isEqualTo(HASH);
    }
}
