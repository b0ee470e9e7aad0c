package dev.dragon.platform.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BadInputGeneratorTest {

    private static List<BadRequest> draw(long seed, int n) {
        BadInputGenerator g = new BadInputGenerator(seed);
        List<BadRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.next());
        }
        return out;
    }

    @Test
    void sameSeed_givesTheSameRequests_andAnotherSeedOthers() {
        List<BadRequest> a = draw(7, 300);
        List<BadRequest> b = draw(7, 300);
        List<BadRequest> c = draw(8, 300);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).body()).isEqualTo(b.get(i).body());
            assertThat(a.get(i).category()).isEqualTo(b.get(i).category());
        }
        assertThat(a.stream().map(BadRequest::preview).toList()).isNotEqualTo(c.stream().map(BadRequest::preview).toList());
    }

    @Test
    void everyCategory_isDrawn_inTwoThousandRequests() {
        Set<String> seen = new HashSet<>();
        draw(1, 2000).forEach(r -> seen.add(r.category()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(new BadInputGenerator(1).categories());
    }

    @Test
    void invalidJson_neverParses() {
        draw(2, 3000).stream().filter(r -> r.category().equals("invalid_json")).forEach(r ->
                assertThatThrownBy(() -> BadInputGenerator.JSON.readTree(r.body())).as(r.preview()).isNotNull());
    }

    @Test
    void invalidUtf8_bodies_areNotUtf8() {
        List<BadRequest> bad = draw(3, 3000).stream().filter(r -> r.category().equals("invalid_utf8")
                || r.category().equals(BadInputGenerator.OVERLONG_UTF8)).toList();
        assertThat(bad).isNotEmpty();
        for (BadRequest r : bad) {
            assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r.body()))).isInstanceOf(CharacterCodingException.class);
        }
    }

    @Test
    void oversized_bodies_exceedTheGatewaysDefaultLimit() {
        List<BadRequest> big = draw(4, 1500).stream().filter(r -> r.category().equals("oversized")).toList();
        assertThat(big).isNotEmpty().allSatisfy(r -> assertThat(r.body().length).isGreaterThan(1024 * 1024));
    }

    @Test
    void typeAndRangeCases_areWellFormedJson_soOnlyTheValueIsWrong() {
        draw(5, 2000).stream().filter(r -> r.category().equals("wrong_type") || r.category().equals("bad_number")
                        || r.category().equals("too_many_stops") || r.category().equals("unknown_field"))
                .forEach(r -> assertThat(BadInputGenerator.JSON.readTree(r.body()).isObject()).as(r.preview()).isTrue());
    }
}
