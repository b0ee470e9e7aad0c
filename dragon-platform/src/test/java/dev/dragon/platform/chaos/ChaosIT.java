package dev.dragon.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite at test size: 8 streaming clients through the gateway of a real stack (two routers, two g0
 * replicas), each fault made by SIGKILL or SIGSTOP of a real process for 5 s. No request a live replica could
 * serve fails, and each component is back to normal service within 10 s of its recovery.
 */
@ExtendWith(ReliabilityStack.Resolver.class)
class ChaosIT {

    private static ChaosStack stack;
    private static String key;

    @BeforeAll
    static void start(ReliabilityStack shared) {
        stack = shared.stack();
        key = stack.admin().tenantWithKey("chaos-it", 1_000_000, 100_000_000);
    }

    @Test
    void killsAndPauses_underStreamingLoad_failNoServableRequest_andRecoverWithinTenSeconds() {
        FaultSuite.Settings settings = new FaultSuite.Settings(8, 5, 5, 16, 4,
                List.of("expert-kill", "redis-stop", "kafka-stop", "router-kill"), 300, 60);
        FaultSuite.Report report = new FaultSuite(stack, settings, System.out::println).run(key);
        System.out.println(ChaosTable.render(report));

        assertThat(report.baselineRequests()).as("streams served before the first fault").isPositive();
        Map<String, FaultResult> byId = report.faults().stream().collect(Collectors.toMap(FaultResult::fault, f -> f));
        assertThat(byId).hasSize(4).allSatisfy((id, f) -> {
            assertThat(f.sent()).as(id + ": requests during the fault").isPositive();
            assertThat(f.recoverySeconds()).as(id + ": back to normal after recovery").isNotNegative();
            assertThat(f.feedbackLost()).as(id + ": feedback events lost").isZero();
        });
        for (String id : List.of("expert-kill", "redis-stop", "kafka-stop", "router-kill")) {
            FaultResult f = byId.get(id);
            assertThat(f.failed()).as(id + ": failed requests a live replica could serve: " + f.failures()).isZero();
        }
        for (String id : List.of("expert-kill", "redis-stop", "kafka-stop")) {
            assertThat(byId.get(id).interactionsLost()).as(id + ": interaction events lost").isZero();
        }
        for (String id : List.of("expert-kill", "redis-stop", "kafka-stop", "router-kill")) {
            assertThat(byId.get(id).recoverySeconds()).as(id + ": seconds back to normal").isLessThanOrEqualTo(10.0);
        }
        FaultResult router = byId.get("router-kill");
        assertThat(router.sent() - router.failed() - router.failedInFlight())
                .as("requests the gateway served through the other router").isPositive();
        assertThat(report.feedbackExpected()).isPositive();
        assertThat(report.interactionsExpected()).isPositive();
    }
}
