package dev.dragon.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.kv.KvArena;
import dev.dragon.core.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SlotsTest {

    private static Sequence sequence(int id) {
        TokenSink none = new TokenSink() {
            @Override
            public void onToken(GeneratedToken token) {
            }

            @Override
            public void onFinish(Completion completion) {
            }

            @Override
            public void onError(EngineException error) {
            }
        };
        return new Sequence(new GenerationRequest("s" + id, new int[] {1}, null, SamplingParams.greedy(), false, none),
                null, () -> { }, 0);
    }

    /**
     * Whatever the order of admissions, promotions and releases, decoding sequences occupy exactly
     * slots [0, decodeCount) and every sequence's ring moves with it.
     */
    @Property(tries = 200)
    void decodeRun_staysCompact_andRingsFollowTheirSequence(@ForAll @IntRange(min = 0, max = 10_000) int seed) {
        Random rnd = new Random(seed);
        KvArena kv = new KvArena(6, 1, 1, 2, 1);
        Slots slots = new Slots(kv);
        List<Sequence> prefilling = new ArrayList<>();
        List<Sequence> decoding = new ArrayList<>();
        int next = 0;
        for (int op = 0; op < 60; op++) {
            int choice = rnd.nextInt(3);
            if (choice == 0 && slots.hasFree()) {
                Sequence s = sequence(next);
                slots.acquire(s);
                // tag the ring with the sequence id as its position
                kv.write(0, s.slot, 0, new float[] {next}, new float[] {next}, 0, 1, 0);
                kv.commit(s.slot, next + 2);
                s.lastToken = next++;
                prefilling.add(s);
            } else if (choice == 1 && !prefilling.isEmpty()) {
                Sequence s = prefilling.remove(rnd.nextInt(prefilling.size()));
                slots.promote(s);
                decoding.add(s);
            } else if (!decoding.isEmpty() || !prefilling.isEmpty()) {
                List<Sequence> from = decoding.isEmpty() || (!prefilling.isEmpty() && rnd.nextBoolean())
                        ? prefilling : decoding;
                slots.release(from.remove(rnd.nextInt(from.size())));
            }
            assertThat(slots.decodeCount()).isEqualTo(decoding.size());
            for (int i = 0; i < slots.decodeCount(); i++) {
                assertThat(decoding).contains(slots.decoding(i));
                assertThat(slots.decoding(i).slot).isEqualTo(i);
            }
            for (Sequence s : decoding) {
                assertThat(kv.heldPositions(s.slot)).containsExactly(s.lastToken + 2L);
            }
            for (Sequence s : prefilling) {
                assertThat(s.slot).isGreaterThanOrEqualTo(slots.decodeCount());
                assertThat(kv.heldPositions(s.slot)).containsExactly(s.lastToken + 2L);
            }
            assertThat(slots.occupied()).isEqualTo(decoding.size() + prefilling.size());
        }
    }
}
