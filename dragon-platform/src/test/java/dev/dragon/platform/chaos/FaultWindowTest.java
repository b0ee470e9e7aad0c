package dev.dragon.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultWindowTest {

    private static final long S = 1_000_000_000L;
    private static final FaultWindow WINDOW = new FaultWindow(10 * S, 20 * S, 22 * S);

    private static Fault fault(boolean excusesInFlight) {
        return new Fault("f", "test fault", excusesInFlight, s -> { }, s -> () -> true);
    }

    private static final List<Outcome> OUTCOMES = List.of(
            new Outcome("stream", 1 * S, 5 * S, true, 200, "", "before"),          // ended before the fault
            new Outcome("stream", 8 * S, 12 * S, false, 200, "error event", null),  // in flight at injection
            new Outcome("stream", 11 * S, 13 * S, false, 503, "{\"error\":{}}", null),
            new Outcome("stream", 12 * S, 15 * S, true, 200, "", "served-1"),
            new Outcome("stream", 14 * S, 21 * S, true, 200, "", "served-2"),
            new Outcome("feedback", 15 * S, 15 * S + 1, true, 202, "", "served-1"),
            new Outcome("stream", 30 * S, 31 * S, false, 0, "late", null));        // after normal

    @Test
    void judge_countsWhatOverlapsTheWindow_andFindsLostEvents() {
        FaultResult r = WINDOW.judge(fault(false), OUTCOMES, Set.of("served-1"), Set.of(), 0);
        assertThat(r.sent()).isEqualTo(5);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(r.failedInFlight()).isZero();
        assertThat(r.interactionsExpected()).isEqualTo(2);
        assertThat(r.interactionsLost()).isEqualTo(1);
        assertThat(r.feedbackExpected()).isEqualTo(1);
        assertThat(r.feedbackLost()).isEqualTo(1);
        assertThat(r.recoverySeconds()).isEqualTo(2.0);
        assertThat(r.faultSeconds()).isEqualTo(10.0);
        assertThat(r.failures()).hasSize(2);
        assertThat(r.failuresFromSeconds()).isEqualTo(2.0);   // ended at 12 s, injected at 10 s
        assertThat(r.failuresToSeconds()).isEqualTo(3.0);
    }

    @Test
    void judge_setsApartStreamsInFlight_onlyWhenTheFaultKillsTheirProcess() {
        FaultResult r = WINDOW.judge(fault(true), OUTCOMES, Set.of(), Set.of(), 0);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.failedInFlight()).isEqualTo(1);
        assertThat(r.failuresFromSeconds()).isEqualTo(3.0);    // the in-flight one is not counted
    }

    @Test
    void judge_reportsNever_whenNormalWasNotReached() {
        FaultResult r = new FaultWindow(10 * S, 20 * S, -1).judge(fault(false), OUTCOMES, Set.of(), Set.of(), 15 * S);
        assertThat(r.recoverySeconds()).isEqualTo(-1);
        assertThat(r.sent()).isEqualTo(6);                 // the grace window reaches the late one
    }

    @Test
    void percentile_isNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i;
        }
        assertThat(FaultWindow.percentile(v, 0.99)).isEqualTo(99.0);
        assertThat(FaultWindow.percentile(v, 1.0)).isEqualTo(100.0);
        assertThat(FaultWindow.percentile(new double[] {3}, 0.99)).isEqualTo(3.0);
        assertThat(FaultWindow.percentile(new double[0], 0.99)).isNaN();
    }
}
