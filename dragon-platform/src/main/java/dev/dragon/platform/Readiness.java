package dev.dragon.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Polls a service's readiness URL until it answers 200 (or the process dies, or time runs out). */
final class Readiness {

    private static final Duration POLL = Duration.ofMillis(250);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    boolean isReady(URI url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for {@code service}; throws with its log tail when it exits or is not ready by {@code deadlineNanos}. */
    void await(ServiceProcess service, long deadlineNanos) {
        while (!isReady(service.spec().readiness())) {
            if (!service.isAlive()) {
                throw new PlatformException(service.spec().name() + " exited with status " + service.exitValue()
                        + " before it was ready; the end of " + service.log() + ":\n" + service.logTail(25));
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new PlatformException(service.spec().name() + " was not ready in time ("
                        + service.spec().readiness() + "); see " + service.log() + ":\n" + service.logTail(25));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for " + service.spec().name());
            }
        }
    }
}
