package dev.dragon.platform.chaos;

import dev.dragon.platform.Prometheus;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One fault: how it is injected into a real process, how it is undone, and what "back to normal" means for it.
 *
 * @param id               short name ({@code a} … {@code e} in the issue, here descriptive)
 * @param description      what is done, for the table
 * @param excusesInFlight  true when the fault kills the process that holds the requests in flight (a router
 *                         replica): those cannot be served by anyone else and are reported apart
 * @param inject           makes the fault
 * @param recover          undoes it (resume, or restart and wait until ready) and returns the check that the
 *                         component is back to normal service
 */
public record Fault(String id, String description, boolean excusesInFlight, Consumer<ChaosStack> inject,
                    Function<ChaosStack, BooleanSupplier> recover) {

    static final String G0_VICTIM = "expert-g0-b";
    static final String ROUTER_VICTIM = "router-b";

    /** Faults by id, in the order; {@code restartSeconds} bounds each restart. */
    public static List<Fault> all(long restartSeconds) {
        return List.of(
                new Fault("expert-kill", "SIGKILL one of two g0 replicas (" + G0_VICTIM + "), then restart it", false,
                        s -> s.kill(G0_VICTIM),
                        s -> {
                            s.restart(G0_VICTIM, restartSeconds);
                            return () -> metric(s.base(G0_VICTIM), "dragon_expert_rows_total", null) > 0;
                        }),
                new Fault("redis-stop", "SIGSTOP Redis, then SIGCONT", false,
                        s -> Signals.pause(s.redisPid()),
                        s -> {
                            Signals.resume(s.redisPid());
                            return () -> metric(s.base("cache"), "dragon_cache_redis_up", null) == 1;
                        }),
                new Fault("kafka-stop", "SIGSTOP the Kafka broker's JVM, then SIGCONT", false,
                        s -> Signals.pause(s.kafka().pid()),
                        s -> {
                            Signals.resume(s.kafka().pid());
                            return () -> s.routerBases().stream()
                                    .mapToDouble(r -> metric(r, "dragon_events_buffered", null)).sum() == 0;
                        }),
                new Fault("learner-kill", "SIGKILL the online learner while it consumes, then restart it", false,
                        s -> s.kill("learner"),
                        s -> {
                            s.restart("learner", restartSeconds);
                            return () -> metric(s.base("learner"), "dragon_learner_events_consumed_total", null) > 0;
                        }),
                new Fault("router-kill", "SIGKILL one of two routers (" + ROUTER_VICTIM + "), then restart it", true,
                        s -> s.kill(ROUTER_VICTIM),
                        s -> {
                            s.restart(ROUTER_VICTIM, restartSeconds);
                            return () -> metric(s.base(ROUTER_VICTIM), "dragon_requests_total", null) > 0;
                        }));
    }

    /** The metric's sum, 0 when absent (a fresh process has not counted anything yet) or unreachable. */
    static double metric(String base, String name, String labels) {
        double v = Prometheus.read(base, name, labels);
        return Double.isNaN(v) ? 0 : v;
    }
}
