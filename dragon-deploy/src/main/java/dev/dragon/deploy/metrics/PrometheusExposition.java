package dev.dragon.deploy.metrics;

import java.util.Set;
import java.util.TreeSet;

/** Reads the Prometheus text format a service's /actuator/prometheus answers. */
public final class PrometheusExposition {

    private PrometheusExposition() {
    }

    /**
     * The metric names a scrape exposes: every sample's series name, and its metric name with the
     * {@code _bucket}/{@code _sum}/{@code _count} suffix removed (comments and blank lines skipped).
     */
    public static Set<String> metricNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < sample.length() && isNameChar(sample.charAt(end))) {
                end++;
            }
            if (end == 0) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            String series = sample.substring(0, end);
            names.add(series);
            names.add(PromQl.baseName(series));
        }
        return names;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
