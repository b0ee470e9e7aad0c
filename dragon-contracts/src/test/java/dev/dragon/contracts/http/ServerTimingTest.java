package dev.dragon.contracts.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTimingTest {

    @Test
    void entry_writesMillisecondsWithThreeDecimals() {
        assertThat(ServerTiming.entry("near", 213_456)).isEqualTo("near;dur=0.213");
    }

    @Test
    void millis_findsTheNamedEntry_amongSeveral() {
        String header = "gw;dur=1.250, near;desc=\"near cache\";dur=0.213";
        assertThat(ServerTiming.millis(header, "near")).isEqualTo(0.213);
        assertThat(ServerTiming.millis(header, "gw")).isEqualTo(1.25);
    }

    @Test
    void millis_isNaN_whenTheEntryOrItsDurationIsMissing() {
        assertThat(ServerTiming.millis(null, "near")).isNaN();
        assertThat(ServerTiming.millis("gw;dur=1", "near")).isNaN();
        assertThat(ServerTiming.millis("near;desc=x", "near")).isNaN();
        assertThat(ServerTiming.millis("near;dur=abc", "near")).isNaN();
    }
}
