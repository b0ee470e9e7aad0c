package dev.dragon.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void self_seesTheCpuThisJvmBurns() {
        CpuMeter meter = CpuMeter.self("me");
        Map<String, Long> before = meter.sample();
        long until = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < until) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        Map<String, Double> spent = CpuMeter.secondsBetween(before, meter.sample());
        assertTrue(spent.get("me") >= 0.1, "a 200 ms busy loop shows as CPU: " + spent + " " + x);
        assertEquals(spent.get("me"), meter.countedTotal(spent));
    }

    @Test
    void countedTotal_leavesOutTheProcessesOnlyShown() {
        long pid = ProcessHandle.current().pid();
        CpuMeter meter = CpuMeter.of(Map.of("server", pid), Map.of("load generator", pid));
        Map<String, Double> spent = Map.of("server", 2.0, "load generator", 5.0);
        assertEquals(2.0, meter.countedTotal(spent));
        assertEquals(Map.of("server", 3.0), CpuMeter.secondsBetween(Map.of("server", 1_000_000_000L), Map.of("server", 4_000_000_000L)));
    }

    @Test
    void summary_dividesServingCpuByTheTokensOfSuccessfulRequests() {
        List<Outcome> outcomes = List.of(new Outcome(1_000_000, 64_000_000, 64, 10, false),
                new Outcome(1_000_000, 64_000_000, 36, 10, false), Outcome.failure(5_000_000));
        LoadRunner.Summary s = LoadRunner.Summary.of("t", 2, outcomes, 1_000_000_000L, 0.5, Map.of("server", 0.5));
        assertEquals(100, s.tokensPerSecond(), 1e-9);
        assertEquals(0.005, s.cpuSecondsPerToken(), 1e-12);
        assertEquals(1, s.failed());
    }

    @Test
    void none_measuresNothing() {
        assertTrue(CpuMeter.none().isEmpty());
        assertTrue(CpuMeter.none().sample().isEmpty());
    }
}
