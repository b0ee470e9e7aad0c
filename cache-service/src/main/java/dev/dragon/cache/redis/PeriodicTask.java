package dev.dragon.cache.redis;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Runs an asynchronous task periodically, never two at once; a tick that comes while one runs is skipped. */
public final class PeriodicTask {

    private final Duration initialDelay;
    private final Duration period;
    private final Supplier<Mono<Void>> task;
    private volatile Disposable running;

    public PeriodicTask(Duration initialDelay, Duration period, Supplier<Mono<Void>> task) {
        this.initialDelay = initialDelay;
        this.period = period;
        this.task = task;
    }

    public void start() {
        running = Flux.interval(initialDelay, period, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> task.get().onErrorComplete(), 1)
                .subscribe();
    }

    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
        running = null;
    }

    public boolean isRunning() {
        return running != null;
    }
}
