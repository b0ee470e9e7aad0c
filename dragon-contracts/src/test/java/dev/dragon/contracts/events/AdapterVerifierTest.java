package dev.dragon.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.contracts.events.AdapterControlEvent.Action;
import dev.dragon.contracts.events.AdapterRejectedException.Reason;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdapterVerifierTest {

    private static final int P = 6;
    private static final int D = 4;
    private static final AdapterSignatures KEY = new AdapterSignatures("a-test-signing-key-of-enough-length");
    private static final AdapterVerifier VERIFIER = new AdapterVerifier(KEY, P, D, "mini", "1.0.0");

    private final float[] w1 = random(P * D, 1);
    private final float[] w2 = random(D * P, 2);

    private AdapterVersionEvent signed(long version, long parent) {
        return KEY.signedVersion(version, parent, null, "mini", "1.0.0", 1_700_000_000_000L, P, D, w1, w2,
                "predictive-coding", null);
    }

    @Test
    void signedVersion_verifiesAndDecodesTheSameWeights() throws Exception {
        AdapterVerifier.Verified v = VERIFIER.verify(signed(3, 2));

        assertThat(v.version()).isEqualTo(3);
        assertThat(v.w1()).containsExactly(w1);
        assertThat(v.w2()).containsExactly(w2);
        assertThat(v.event().checksum()).isEqualTo(AdapterWeights.checksum(w1, w2)).hasSize(64);
    }

    @Test
    void tamperedWeights_areRefusedForTheirChecksum() {
        AdapterVersionEvent e = signed(3, 2);
        float[] other = w2.clone();
        other[5] += 1e-3f;
        AdapterVersionEvent tampered = new AdapterVersionEvent(e.schemaVersion(), e.version(), e.parent(), null,
                e.model(), e.modelVersion(), e.createdAtMs(), P, D, e.w1(), AdapterWeights.encode(other),
                e.checksum(), e.signature(), e.method(), null);

        assertRejected(tampered, Reason.CHECKSUM);
    }

    @Test
    void recordSignedWithAnotherKey_isRefused() {
        AdapterVersionEvent forged = new AdapterSignatures("someone-elses-signing-key-0000").signedVersion(3, 2,
                null, "mini", "1.0.0", 1L, P, D, w1, w2, "predictive-coding", null);

        assertRejected(forged, Reason.SIGNATURE);
    }

    @Test
    void changingTheParentOrVersion_breaksTheSignature() {
        AdapterVersionEvent e = signed(3, 2);
        AdapterVersionEvent moved = new AdapterVersionEvent(1, 4, 2, null, e.model(), e.modelVersion(),
                e.createdAtMs(), P, D, e.w1(), e.w2(), e.checksum(), e.signature(), e.method(), null);

        assertRejected(moved, Reason.SIGNATURE);
        assertRejected(new AdapterVersionEvent(1, 3, 2, null, e.model(), e.modelVersion(), e.createdAtMs(), P, D,
                e.w1(), e.w2(), e.checksum(), null, e.method(), null), Reason.SIGNATURE);
    }

    @Test
    void otherShapeOrModel_isRefused() {
        AdapterVerifier narrow = new AdapterVerifier(KEY, P + 1, D, null, null);
        assertThatThrownBy(() -> narrow.verify(signed(1, 0)))
                .isInstanceOf(AdapterRejectedException.class)
                .extracting(t -> ((AdapterRejectedException) t).reason()).isEqualTo(Reason.SHAPE);
        AdapterVerifier otherModel = new AdapterVerifier(KEY, P, D, "mini", "2.0.0");
        assertThatThrownBy(() -> otherModel.verify(signed(1, 0)))
                .extracting(t -> ((AdapterRejectedException) t).reason()).isEqualTo(Reason.MODEL);
    }

    @Test
    void truncatedWeights_areAShapeError_notAnIndexError() {
        AdapterVersionEvent e = signed(3, 2);
        String shortW1 = Base64.getEncoder().encodeToString(new byte[4 * (P * D - 1)]);
        assertRejected(new AdapterVersionEvent(1, 3, 2, null, e.model(), e.modelVersion(), e.createdAtMs(), P, D,
                shortW1, e.w2(), e.checksum(), e.signature(), e.method(), null), Reason.SHAPE);
    }

    @Test
    void unknownSchemaVersion_isRefused() {
        AdapterVersionEvent e = signed(3, 2);
        assertRejected(new AdapterVersionEvent(2, 3, 2, null, e.model(), e.modelVersion(), e.createdAtMs(), P, D,
                e.w1(), e.w2(), e.checksum(), e.signature(), e.method(), null), Reason.SCHEMA);
    }

    @Test
    void controlRecords_areSignedOverActionVersionAndTime() throws Exception {
        AdapterControlEvent pin = KEY.signedControl(Action.PIN, 7, 123L);

        assertThat(VERIFIER.verify(pin)).isEqualTo(pin);
        AdapterControlEvent other = new AdapterControlEvent(1, Action.PIN, 8, 123L, pin.signature());
        assertThatThrownBy(() -> VERIFIER.verify(other))
                .extracting(t -> ((AdapterRejectedException) t).reason()).isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void shortSigningKeys_areRefused() {
        assertThatThrownBy(() -> new AdapterSignatures("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionKeys_sortLikeVersionsAndParseBack() {
        assertThat(EventTopics.versionKey(9)).isLessThan(EventTopics.versionKey(10));
        assertThat(EventTopics.versionOfKey(EventTopics.versionKey(42))).isEqualTo(42);
        assertThat(EventTopics.versionOfKey(EventTopics.CONTROL_KEY)).isEqualTo(-1);
        assertThat(EventTopics.versionOfKey("version-x")).isEqualTo(-1);
    }

    private static void assertRejected(AdapterVersionEvent e, Reason reason) {
        assertThatThrownBy(() -> VERIFIER.verify(e))
                .isInstanceOf(AdapterRejectedException.class)
                .extracting(t -> ((AdapterRejectedException) t).reason()).isEqualTo(reason);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
