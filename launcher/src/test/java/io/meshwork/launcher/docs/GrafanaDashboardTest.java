package io.meshwork.launcher.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/grafana/meshwork.json} against the code: it is a Grafana dashboard document (the
 * fields Grafana's import needs), and every metric its queries name is one the code registers,
 * under the name Micrometer's Prometheus registry gives it ({@code .} → {@code _}, counters
 * {@code _total}, timers {@code _seconds_bucket|_count|_sum|_max}); so is every metric of the alerts in
 * {@code docs/OPERATIONS.md}.
 */
class GrafanaDashboardTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern BUILT = Pattern.compile("(Counter|Timer|Gauge)\\.builder\\(\"([a-z_.]+)\"");
    /** RouterMetrics' counter(...) and SpoolLag's gauge(...) helpers. */
    private static final Pattern HELPER = Pattern.compile("\\b(counter|gauge)\\(\"(mesh[a-z_.]+)\"");
    private static final Pattern STAGE_TIMER = Pattern.compile("String METRIC = \"([a-z_.]+)\"");
    private static final Pattern METRIC_IN_EXPR = Pattern.compile("\\b(mesh_[a-z_]+)\\b");
    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "state-timeline", "stat", "gauge", "table");

    private static Set<String> prometheusNamesInTheCode() throws IOException {
        Set<String> names = new HashSet<>();
        List<Path> sources = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return name.equals("target") || name.startsWith(".") || name.equals("test") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.toString().endsWith(".java") && file.toString().contains("/src/main/java/")) {
                    sources.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path source : sources) {
            String code = Files.readString(source);
            Matcher built = BUILT.matcher(code);
            while (built.find()) {
                add(names, built.group(1), built.group(2));
            }
            Matcher helper = HELPER.matcher(code);
            while (helper.find()) {
                add(names, helper.group(1).equals("counter") ? "Counter" : "Gauge", helper.group(2));
            }
            Matcher stage = STAGE_TIMER.matcher(code);
            if (stage.find() && code.contains("Timer.builder(METRIC)")) {
                add(names, "Timer", stage.group(1));
            }
        }
        return names;
    }

    private static void add(Set<String> names, String type, String meter) {
        String base = meter.replace('.', '_');
        switch (type) {
            case "Counter" -> names.add(base + "_total");
            case "Timer" -> List.of("_bucket", "_count", "_sum", "_max").forEach(suffix -> names.add(base + "_seconds" + suffix));
            default -> names.add(base);
        }
    }

    private static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(ROOT.resolve("docs/grafana/meshwork.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheCodeRegisters() throws IOException {
        Set<String> known = prometheusNamesInTheCode();
        assertThat(known).contains("mesh_link_events_total", "mesh_link_up", "mesh_stage_latency_seconds_bucket",
                "mesh_link_spool_records", "mesh_arrivals_total");
        List<String> queried = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher metric = METRIC_IN_EXPR.matcher(target.get("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(20);
        assertThat(queried).allSatisfy(name -> assertThat(known).as("metric %s queried by the dashboard", name).contains(name));
    }

    @Test
    void everyMetricTheRunbooksAlertsQueryIsOneTheCodeRegisters() throws IOException {
        Set<String> known = prometheusNamesInTheCode();
        Matcher block = Pattern.compile("```promql\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("docs/OPERATIONS.md")));
        List<String> queried = new ArrayList<>();
        while (block.find()) {
            Matcher metric = METRIC_IN_EXPR.matcher(block.group(1));
            while (metric.find()) {
                queried.add(metric.group(1));
            }
        }
        assertThat(queried).hasSizeGreaterThan(8);
        assertThat(queried).allSatisfy(name -> assertThat(known).as("metric %s in an OPERATIONS.md alert", name).contains(name));
    }

    @Test
    void theDashboardHasWhatGrafanasImportNeeds() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.get("title").asText()).isNotBlank();
        assertThat(dashboard.get("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.get("__inputs").findValuesAsText("name")).containsExactly("DS_PROMETHEUS");
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("unique panel id %s", panel.get("id")).isTrue();
            assertThat(titles.add(panel.get("title").asText())).as("unique panel title %s", panel.get("title")).isTrue();
            assertThat(PANEL_TYPES).contains(panel.get("type").asText());
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as("panel %s fits the 24 columns", panel.get("title"))
                    .isLessThanOrEqualTo(24);
            assertThat(grid.get("h").asInt()).isPositive();
            if (!panel.get("type").asText().equals("row")) {
                assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(panel.get("targets")).isNotEmpty().allSatisfy(target -> {
                    assertThat(target.get("refId").asText()).isNotBlank();
                    assertThat(target.get("expr").asText()).isNotBlank();
                });
            }
        }
    }
}
