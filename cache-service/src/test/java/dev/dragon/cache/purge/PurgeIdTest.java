package dev.dragon.cache.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.cache.error.InvalidCacheRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PurgeIdTest {

    @Test
    void parse_readsRedisStreamIds_andOrdersThemAsRedisDoes() {
        PurgeId id = PurgeId.parse("after_id", "1700000000000-7");

        assertThat(id).isEqualTo(new PurgeId(1_700_000_000_000L, 7));
        assertThat(id.toString()).isEqualTo("1700000000000-7");
        assertThat(PurgeId.parse("after_id", "1700000000000-10").isAfter(id)).as("sequence compared as a number").isTrue();
        assertThat(PurgeId.parse("after_id", "1700000000001-0").isAfter(id)).isTrue();
        assertThat(id.isAfter(PurgeId.ZERO)).isTrue();
        assertThat(PurgeId.max(id, PurgeId.ZERO)).isEqualTo(id);
        assertThat(PurgeId.parse("after_id", "18446744073709551615-0").isAfter(id)).as("unsigned 64-bit").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12", "12-", "-3", "a-1", "1-2-3", "18446744073709551616-0", " 1-2", "１-2"})
    void parse_rejectsAnythingElse_namingTheField(String text) {
        assertThatThrownBy(() -> PurgeId.parse("after_id", text))
                .isInstanceOfSatisfying(InvalidCacheRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("after_id"));
    }
}
