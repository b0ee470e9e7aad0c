package dev.dragon.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/** Reads one service's {@code /actuator/prometheus} text and sums samples of a metric, optionally by a label. */
public final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Prometheus() {
    }

    /** The exposition text of {@code base + /actuator/prometheus}, or empty when the service does not answer. */
    public static String scrape(String base) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Sum of every sample of {@code metric} (exact name, any labels) whose label set contains {@code labelFilter}
     * (e.g. {@code topic="dragon.feedback"}; null = all); empty when no sample exists.
     */
    public static OptionalDouble sum(String text, String metric, String labelFilter) {
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            if (!(rest.startsWith("{") || rest.startsWith(" "))) {
                continue;                                     // a longer name with this prefix
            }
            String labels = rest.startsWith("{") ? rest.substring(0, rest.indexOf('}') + 1) : "";
            if (labelFilter != null && !labels.contains(labelFilter)) {
                continue;
            }
            String value = rest.substring(labels.length()).trim().split(" ")[0];
            try {
                total += Double.parseDouble(value);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** {@link #sum} of a freshly scraped service, NaN when absent or unreachable. */
    public static double read(String base, String metric, String labelFilter) {
        return sum(scrape(base), metric, labelFilter).orElse(Double.NaN);
    }
}
