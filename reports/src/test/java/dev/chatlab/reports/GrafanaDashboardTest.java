package dev.chatlab.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.reference.cluster.ClusterLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard against what a node really exports: one reference node (a process, as
 * {@code chatlab cluster start} runs it, on the in-memory store) is started and its
 * {@code /metrics} scraped. Every metric a panel queries must be exported, and every exported
 * metric must have a panel or a reason in docs/reports.md.
 */
class GrafanaDashboardTest {

    /** Prometheus adds {@code up} per scraped target; no node exports it. */
    private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("up");
    private static final Pattern METRIC = Pattern.compile("\\b([a-z_]+)\\s*\\{");
    private static final Pattern NAME_IN_BACKTICKS = Pattern.compile("`([a-z_*]+)`");
    private static final String WITHOUT_PANEL = "### Exported but not on the dashboard";

    @TempDir
    static Path dir;
    private static ClusterLauncher node;
    private static Set<String> exported;

    @BeforeAll
    static void startOneNodeAndScrapeIt() throws Exception {
        node = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 1).withStore("memory")
                .withJvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC")));
        int port = node.nodes().get(0).port();
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        exported = new TreeSet<>();
        for (String line : scrape.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
    }

    @AfterAll
    static void stopTheNode() {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void shouldScrapeTheChatMetricsFromTheLiveNode() {
        assertThat(exported).contains("chatlab_sessions", "chatlab_frames_in_total", "chatlab_store_ops_seconds");
    }

    @Test
    void shouldQueryOnlyMetricsTheNodeExportsAndDeclareItsDataSource() throws Exception {
        JsonNode dash = dashboard();
        assertThat(dash.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        List<String> queried = queriedMetrics(dash);
        assertThat(queried).hasSizeGreaterThanOrEqualTo(10);
        assertThat(queried).allSatisfy(metric -> assertThat(exported).as("a panel queries %s", metric)
                .contains(metric));
    }

    @Test
    void shouldGiveEveryExportedMetricAPanelOrAReason() throws Exception {
        Set<String> queried = new TreeSet<>(queriedMetrics(dashboard()));
        Map<String, String> reasons = reasonsWithoutPanel();
        List<String> unexplained = new ArrayList<>();
        for (String metric : exported) {
            if (!queried.contains(metric) && reasons.keySet().stream().noneMatch(pattern -> matches(pattern, metric))) {
                unexplained.add(metric);
            }
        }
        assertThat(unexplained).as("exported, without a panel or a row under '%s' in docs/reports.md", WITHOUT_PANEL)
                .isEmpty();
        assertThat(reasons).allSatisfy((pattern, why) -> {
            assertThat(why).as("the reason for %s", pattern).isNotBlank();
            assertThat(exported).as("docs/reports.md explains %s, which the node does not export", pattern)
                    .anyMatch(metric -> matches(pattern, metric));
            assertThat(queried).as("%s has a panel and a reason not to have one", pattern)
                    .noneMatch(metric -> matches(pattern, metric));
        });
    }

    @Test
    void shouldFilterByTheJobAndInstanceVariables() throws Exception {
        JsonNode dash = dashboard();
        List<String> variables = new ArrayList<>();
        dash.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).containsExactly("job", "instance");
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(panel.path("title").asText())
                        .contains("job=~\"$job\"", "instance=~\"$instance\"");
            }
        }
    }

    private static boolean matches(String pattern, String metric) {
        return pattern.endsWith("*") ? metric.startsWith(pattern.substring(0, pattern.length() - 1)) : metric.equals(pattern);
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Path.of("grafana", "chatlab-dashboard.json").toFile());
    }

    private static List<String> queriedMetrics(JsonNode dash) {
        List<String> metrics = new ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            assertThat(panel.path("title").asText()).isNotBlank();
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    if (!ADDED_BY_PROMETHEUS.contains(m.group(1))) {
                        metrics.add(m.group(1));
                    }
                }
            }
        }
        return metrics;
    }

    /** The table under {@value #WITHOUT_PANEL}: each metric (or prefix*) of a row's first cell, and the row's reason. */
    private static Map<String, String> reasonsWithoutPanel() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "reports.md"));
        int at = lines.indexOf(WITHOUT_PANEL);
        assertThat(at).as("docs/reports.md has a section '%s'", WITHOUT_PANEL).isNotNegative();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String[] cells = lines.get(i).split("\\|");
            if (cells.length < 3 || !cells[1].contains("`")) {
                continue;
            }
            Matcher name = NAME_IN_BACKTICKS.matcher(cells[1]);
            while (name.find()) {
                reasons.put(name.group(1), cells[2].trim());
            }
        }
        assertThat(reasons).isNotEmpty();
        return reasons;
    }
}
