package dev.dragon.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one service's {@code /actuator/prometheus} text and sums the samples of a metric with a label filter. */
final class Prometheus {

    private final String text;

    private Prometheus(String text) {
        this.text = text;
    }

    static Prometheus scrape(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return new Prometheus(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return new Prometheus("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Prometheus("");
        }
    }

    /** Sum of {@code name}'s samples whose label set contains every {@code labels} fragment ({@code k="v"}). */
    double sum(String name, String... labels) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> {
                    for (String label : labels) {
                        if (!l.contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
