package dev.dragon.deploy.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/metrics.md lists: the first cell of each table row, {@code | `dragon_x` | ...}. */
public record MetricCatalogue(Set<String> names) {

    private static final Pattern ROW = Pattern.compile("(?m)^\\|\\s*`(dragon_[a-z0-9_]+)`\\s*\\|");

    public MetricCatalogue {
        names = Set.copyOf(names);
    }

    public static MetricCatalogue parse(String markdown) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = ROW.matcher(markdown);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return new MetricCatalogue(names);
    }

    public static MetricCatalogue read(Path markdownFile) {
        try {
            return parse(Files.readString(markdownFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean contains(String metric) {
        return names.contains(metric);
    }
}
