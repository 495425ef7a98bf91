package dev.chatlab.scenarios.coarse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.scenarios.model.ServiceTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The coarse level times the store's writes by a {@code kind: store} model file's append times. */
class CoarseStoreModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Few chats: their claims (a write each, before a chat's first message) are 2.5% of the writes. */
    private static String scenario(Path model) {
        return """
                name: coarse-store-model
                level: coarse
                duration: 20s
                topology: {nodes: 2}
                population: {users: 2000, devices_per_user: 1, chats: 50, group_size: 4}
                workload: {messages_per_second: 100}
                store: {model: %s}
                coarse: {connections_per_server: 2000, store_concurrency: 4}
                """.formatted(model);
    }

    private static Path storeModel(Path dir, String name, long appendMicros) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "model: 1\nkind: store\nname: " + name + "\nstore:\n  append: {dist: fixed, us: "
                + appendMicros + "}\n  default: {dist: fixed, us: 1}\n");
        return file;
    }

    private static JsonNode run(Path model, Path out) throws Exception {
        Scenario s = ScenarioLoader.parse("coarse-store-model.yaml", "coarse-store-model", scenario(model));
        assertThat(CoarseRun.run(s, 3, out, null).exitCode()).isZero();
        return JSON.readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void shouldRunACoarseScenarioTimedByAModelFileAndSayWhichFile(@TempDir Path dir) throws Exception {
        Path fast = storeModel(dir, "fast", 100);
        JsonNode s = run(fast, dir.resolve("out"));
        assertThat(s.path("settings").path("store").path("model").asText()).isEqualTo(fast.toString());
        assertThat(s.path("model").path("store").asText()).isEqualTo("model");
        assertThat(s.path("model").path("store_model").asText()).isEqualTo(fast.toString());
        assertThat(s.path("counts").path("store_writes").asLong()).isPositive();
    }

    @Test
    void shouldGiveASlowerStoreModelASlowerAck(@TempDir Path dir) throws Exception {
        long fast = run(storeModel(dir, "fast", 100), dir.resolve("a")).path("latency_us").path("send_to_ack")
                .path("p50_us").asLong();
        long slow = run(storeModel(dir, "slow", 20_000), dir.resolve("b")).path("latency_us").path("send_to_ack")
                .path("p50_us").asLong();
        // 20 ms against 0.1 ms of store time per write, well below the 4 workers' capacity: the difference is the service time.
        assertThat(slow - fast).as("fast p50 %d us, slow p50 %d us", fast, slow).isBetween(15_000L, 25_000L);
    }

    @Test
    void shouldReportHowBusyTheStoreWasAndThatAStoreTooSlowForTheRateSaturates(@TempDir Path dir) throws Exception {
        // 100 writes/s on 4 workers: 20 ms each keeps them half busy; 80 ms each asks twice what they can give.
        JsonNode halfRun = run(storeModel(dir, "half", 20_000), dir.resolve("a"));
        JsonNode half = halfRun.path("model");
        // Each write (a message's, or a chat's claim) held a worker 20 ms, out of 20 s x 4 workers.
        long writes = halfRun.path("counts").path("store_writes").asLong() + halfRun.path("counts").path("claims").asLong();
        long expected = Math.round(writes * 20_000 * 1000.0 / (20e6 * 4));
        assertThat(expected).isBetween(300L, 600L);
        assertThat(half.path("store_utilisation_permille").asLong()).isBetween(expected - 5, expected + 5);
        JsonNode over = run(storeModel(dir, "over", 80_000), dir.resolve("b")).path("model");
        assertThat(over.path("store_utilisation_permille").asLong()).isGreaterThanOrEqualTo(950L);
        // Measured 1,147 against 13 (the half-busy store's longest queue is at the start, where the chats' claims come
        // with their first messages).
        assertThat(over.path("store_queue_max").asLong()).isGreaterThan(50 * half.path("store_queue_max").asLong() + 100);
    }

    @Test
    void shouldNameTheKeyOfAModelFileThatIsNotThere(@TempDir Path dir) {
        assertThatThrownBy(() -> ScenarioLoader.parse("x.yaml", "x", scenario(dir.resolve("missing.yaml"))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("store.model")
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void shouldTakeTheMeanOfAnEmpiricalDistributionSegmentBySegment() {
        List<Double> q = new ArrayList<>();
        for (int i = 0; i < ServiceTime.Empirical.POINTS; i++) {
            q.add(i < ServiceTime.Empirical.POINTS - 1 ? 100.0 : 2_100.0);
        }
        // The last 5% spreads evenly over 100..2100 us: a mean of 95% x 100 + 5% x 1100.
        assertThat(new ServiceTime.Empirical(q).meanMicros()).isCloseTo(150.0, within(1e-9));
        assertThat(new ServiceTime.LogNormal(100, 0).meanMicros()).isCloseTo(100.0, within(1e-9));
    }
}
