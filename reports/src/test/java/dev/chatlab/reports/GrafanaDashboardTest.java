package dev.chatlab.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GrafanaDashboardTest {

    /** What the Vert.x chat node exports (reference-impl's ChatNode registers these with Micrometer), as Prometheus names them. */
    private static final Set<String> EXPORTED = Set.of("up", "chatlab_sessions", "chatlab_owned_chats",
            "chatlab_frames_in_total", "chatlab_frames_out_total", "chatlab_frames_refused_total", "chatlab_pushes_total",
            "chatlab_store_failures_total", "chatlab_store_ops_seconds", "chatlab_store_ops_seconds_sum",
            "chatlab_store_ops_seconds_count", "vertx_http_server_active_ws_connections");
    private static final Pattern METRIC = Pattern.compile("\\b([a-z_]+)\\s*\\{");

    @Test
    void shouldQueryOnlyMetricsTheNodeExportsAndDeclareItsDataSource() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(Path.of("grafana", "chatlab-dashboard.json").toFile());
        assertThat(dash.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        List<String> metrics = new ArrayList<>();
        int targets = 0;
        for (JsonNode panel : dash.path("panels")) {
            assertThat(panel.path("title").asText()).isNotBlank();
            for (JsonNode target : panel.path("targets")) {
                targets++;
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group(1));
                }
            }
        }
        assertThat(targets).isGreaterThanOrEqualTo(10);
        assertThat(metrics).isNotEmpty().allMatch(EXPORTED::contains);
        assertThat(metrics).contains("chatlab_sessions", "chatlab_store_ops_seconds", "chatlab_frames_in_total");
    }
}
