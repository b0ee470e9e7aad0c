package dev.dragon.platform.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.platform.chaos.Chaos;
import dev.dragon.platform.chaos.ChaosStack;
import dev.dragon.platform.chaos.ReliabilityStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * About a thousand seeded malformed requests (and a misbehaving streaming client every 100) against the gateway of
 * a real stack: every one is answered with a 4xx and an OpenAI error body, the services stay ready throughout,
 * and no router slot or thread is left behind.
 */
@ExtendWith(ReliabilityStack.Resolver.class)
class BadInputIT {

    @Test
    void malformedRequests_getA4xxOpenAiError_andLeaveTheStackHealthyWithNothingLeaked(ReliabilityStack shared)
            throws InterruptedException {
        ChaosStack stack = shared.stack();
        String key = stack.admin().tenantWithKey("bad-input-it", 1_000_000, 100_000_000);
        BadInputRun.Report r = new BadInputRun(Chaos.target(stack, key)).run(20_260_111L, 1000, 4, 100);
        System.out.println(BadInputTable.render(r));

        assertThat(r.sent()).isEqualTo(1000);
        assertThat(r.byCategory()).hasSize(new BadInputGenerator(0).categories().size());
        assertThat(r.byStatus().keySet()).as("statuses: no 5xx, no request left unanswered")
                .allSatisfy(status -> assertThat(status).isBetween(200, 499));
        assertThat(r.not4xxByCategory()).as("answers other than 4xx: " + r.not4xx()).isEmpty();
        assertThat(r.badBodies()).as("4xx without an OpenAI error body").isEmpty();
        assertThat(r.abusive().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
        assertThat(r.healthFailures()).as("readiness checks that failed during the run").isZero();
        assertThat(r.slotsAfter()).as("router sequences running + waiting afterwards").isZero();
        r.before().forEach((svc, before) -> assertThat(r.after().get(svc).threads()).as(svc + " live threads")
                .isLessThanOrEqualTo(before.threads() + 25));
    }
}
