package dev.dragon.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricCatalogueTest {

    @Test
    void parse_takesTheFirstCellOfTableRows_only() {
        String markdown = """
                Micrometer `dragon.time.to.first.token` becomes `dragon_time_to_first_token_seconds`.

                | metric | type | labels | meaning |
                |---|---|---|---|
                | `dragon_time_to_first_token_seconds` | histogram | | request accepted -> first token |
                | `dragon_requests_total` | counter | `endpoint`, `status` | see `dragon_other_total` |
                """;

        assertThat(MetricCatalogue.parse(markdown).names())
                .containsExactlyInAnyOrder("dragon_time_to_first_token_seconds", "dragon_requests_total");
    }
}
