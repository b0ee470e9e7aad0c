package dev.dragon.deploy.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Crude PromQL reading: the Dragon metric names an expression refers to. */
public final class PromQl {

    private static final Pattern DRAGON_IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:])dragon_[a-z0-9_]*[a-z0-9]");
    /** Series a histogram or summary exposes besides its name. */
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|sum|count)$");

    private PromQl() {
    }

    /**
     * Every {@code dragon_*} identifier in the expression, with the {@code _bucket}/{@code _sum}/{@code _count}
     * suffix of histogram and summary series removed (so it names the metric, as docs/metrics.md does).
     */
    public static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = DRAGON_IDENTIFIER.matcher(expression);
        while (matcher.find()) {
            names.add(baseName(matcher.group()));
        }
        return names;
    }

    /** The metric a series belongs to: {@code x_seconds_bucket} -> {@code x_seconds}. */
    public static String baseName(String series) {
        return SERIES_SUFFIX.matcher(series).replaceFirst("");
    }
}
