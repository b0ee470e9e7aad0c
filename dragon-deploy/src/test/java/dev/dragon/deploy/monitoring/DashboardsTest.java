package dev.dragon.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.deploy.support.Chart;
import dev.dragon.deploy.support.Promtool;
import dev.dragon.deploy.support.Repo;
import dev.dragon.deploy.support.Values;
import dev.dragon.deploy.support.Variant;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The Grafana dashboards under helm/dragon/dashboards and their provisioning ConfigMaps. */
class DashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void overviewExpertsCachesAndOnlineLearning_areShipped_withUniqueUids() {
        Map<String, JsonNode> dashboards = dashboards();

        assertThat(dashboards.keySet()).containsExactlyInAnyOrder("overview.json", "experts.json", "caches.json",
                "learning.json");
        assertThat(dashboards.values().stream().map(d -> d.path("title").asString()))
                .containsExactlyInAnyOrder("Dragon / Overview", "Dragon / Experts", "Dragon / Caches",
                        "Dragon / Online learning");
        assertThat(dashboards.values().stream().map(d -> d.path("uid").asString()).distinct()).hasSize(4);
    }

    @Test
    void everyDashboard_isProvisionedByAConfigMap_withTheGrafanaSidecarLabel() throws IOException {
        List<V1ConfigMap> configMaps = Chart.render(Variant.DEFAULTS).all(V1ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).toList();

        assertThat(configMaps).hasSize(dashboards().size());
        for (String file : dashboards().keySet()) {
            assertThat(configMaps).as(file).anySatisfy(c -> assertThat(c.getData()).containsKey(file));
            V1ConfigMap configMap = configMaps.stream().filter(c -> c.getData().containsKey(file)).findFirst().orElseThrow();
            assertThat(configMap.getData().get(file)).isEqualTo(Files.readString(Repo.dashboards().resolve(file)).strip());
        }
        assertThat(Chart.render(Variant.ALL_FEATURES).all(V1ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getLabels().containsKey("grafana_dashboard")))
                .as("dashboards.namespace puts them where Grafana's sidecar looks")
                .allSatisfy(c -> assertThat(c.getMetadata().getNamespace()).isEqualTo("monitoring"));
    }

    @Test
    void everyPanel_hasATitleADescriptionAndQueries_andFitsTheGrid() {
        dashboards().forEach((file, dashboard) -> {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels(dashboard)) {
                String where = file + " panel " + panel.path("title").asString();
                assertThat(ids.add(panel.path("id").asInt())).as(where + ": unique id").isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where + ": width").isLessThanOrEqualTo(24);
                if (panel.path("type").asString().equals("row")) {
                    continue;
                }
                assertThat(panel.path("title").asString()).as(where).isNotBlank();
                assertThat(panel.path("description").asString()).as(where).isNotBlank();
                assertThat(panel.path("datasource").path("uid").asString()).as(where).isEqualTo("${datasource}");
                assertThat(panel.path("targets").size()).as(where + ": queries").isPositive();
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asString()).as(where).isNotBlank());
            }
        });
    }

    @Test
    void theExpertsDashboard_showsExpertLoadByLayer_asAMatrixAndAHeatmapPerLayer() {
        List<JsonNode> panels = panels(dashboards().get("experts.json"));

        JsonNode heatmap = panels.stream().filter(p -> p.path("type").asString().equals("heatmap")).findFirst().orElseThrow();
        assertThat(heatmap.path("repeat").asString()).isEqualTo("layer");
        assertThat(heatmap.path("targets").get(0).path("expr").asString())
                .contains("dragon_expert_tokens_total").contains("sum by (expert)").contains("layer=~\"$layer\"");

        JsonNode matrix = panels.stream().filter(p -> p.path("type").asString().equals("table")).findFirst().orElseThrow();
        assertThat(matrix.path("targets").get(0).path("expr").asString())
                .contains("dragon_expert_tokens_total").contains("sum by (layer, expert)");
        JsonNode grouping = matrix.path("transformations").get(0);
        assertThat(grouping.path("id").asString()).isEqualTo("groupingToMatrix");
        assertThat(grouping.path("options").path("rowField").asString()).isEqualTo("layer");
        assertThat(grouping.path("options").path("columnField").asString()).isEqualTo("expert");
    }

    @Test
    void everyPanelQuery_isValidPromQl() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        dashboards().forEach((file, dashboard) -> {
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    rules.add(Map.of("record", "dashboard_query_" + rules.size(), "expr", grafanaToPromQl(target.path("expr").asString())));
                }
            }
        });
        Path rulesFile = Files.createTempFile("dashboard-queries", ".yaml");
        Files.writeString(rulesFile, Values.dump(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));

        Promtool.Result result = Promtool.run("check", "rules", rulesFile.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + rules.size() + " rules found");
    }

    /** Grafana's variables replaced by values Prometheus accepts. */
    private static String grafanaToPromQl(String expression) {
        return expression.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$layer", ".*");
    }

    static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repo.dashboards())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.put(file.getFileName().toString(), JSON.readTree(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dashboards;
    }

    /** Every panel, including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
