package dev.dragon.deploy.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The metrics the chart's Grafana dashboards ({@code dashboards/*.json}: panel targets and template
 * variable queries) and Prometheus rules ({@code rules/*.yaml}) depend on. A platform test checks them
 * against what the running services expose; a chart test against docs/metrics.md.
 */
public final class MonitoredMetrics {

    /** One use of a metric: where (file and panel or alert) and in which expression. */
    public record Reference(String metric, String source, String expression) {
    }

    private final List<Reference> references;

    private MonitoredMetrics(List<Reference> references) {
        this.references = List.copyOf(references);
    }

    /** Reads helm/dragon (or any chart with dashboards/ and rules/). */
    public static MonitoredMetrics fromChart(Path chartDirectory) {
        List<Reference> references = new ArrayList<>();
        for (Path dashboard : files(chartDirectory.resolve("dashboards"), ".json")) {
            dashboardExpressions(dashboard).forEach((source, expression) -> add(references, source, expression));
        }
        for (Path rules : files(chartDirectory.resolve("rules"), ".yaml")) {
            ruleExpressions(rules).forEach((source, expression) -> add(references, source, expression));
        }
        return new MonitoredMetrics(references);
    }

    public List<Reference> references() {
        return references;
    }

    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        references.forEach(r -> names.add(r.metric()));
        return names;
    }

    /** The references to metrics that {@code available} lacks (e.g. a scrape's or the catalogue's names). */
    public List<Reference> missingFrom(Collection<String> available) {
        return references.stream().filter(r -> !available.contains(r.metric())).toList();
    }

    private static void add(List<Reference> references, String source, String expression) {
        PromQl.metricNames(expression).forEach(metric -> references.add(new Reference(metric, source, expression)));
    }

    /** Expressions of one dashboard keyed by "file: panel title [refId]" or "file: variable name". */
    static Map<String, String> dashboardExpressions(Path file) {
        JsonNode dashboard = new ObjectMapper().readTree(read(file));
        Map<String, String> expressions = new LinkedHashMap<>();
        String name = file.getFileName().toString();
        collectPanels(name, dashboard.path("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString("") : query.asString("");
            if (!"datasource".equals(variable.path("type").asString(""))) {
                expressions.put(name + ": variable " + variable.path("name").asString(""), text);
            }
        }
        return expressions;
    }

    private static void collectPanels(String file, JsonNode panels, Map<String, String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put(file + ": " + panel.path("title").asString("") + " [" + target.path("refId").asString("")
                        + "]", target.path("expr").asString(""));
            }
            collectPanels(file, panel.path("panels"), expressions);
        }
    }

    /** Expressions of a Prometheus rules file keyed by "file: alert or record name". */
    @SuppressWarnings("unchecked")
    static Map<String, String> ruleExpressions(Path file) {
        Map<String, Object> document = new Yaml().load(read(file));
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
                expressions.put(file.getFileName() + ": " + name, String.valueOf(rule.get("expr")));
            }
        }
        return expressions;
    }

    private static List<Path> files(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
