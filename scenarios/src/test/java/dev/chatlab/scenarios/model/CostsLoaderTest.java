package dev.chatlab.scenarios.model;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.scenarios.world.StoreModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scenario keys of costs: {@code server.costs} (none, a model file, inline) and {@code store.model} naming a model file. */
class CostsLoaderTest {

    @TempDir
    Path dir;

    private Scenario load(String text) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, text);
        return ScenarioLoader.load(file);
    }

    @Test
    void shouldGiveTheNodesTheCostsMeasuredOnThisMachineUnlessTheFileSaysNone() throws Exception {
        Scenario byDefault = load("duration: 10s\n");
        assertThat(byDefault.costs().source()).isEqualTo("models/local-node.yaml");
        assertThat(byDefault.settings()).containsKey("server");
        Scenario free = load("server: {costs: none}\n");
        assertThat(free.costs()).isNull();
        assertThat(free.settings()).doesNotContainKey("server");
        // The coarse level has service times of its own.
        assertThat(load("level: coarse\n").costs()).isNull();
        assertThatThrownBy(() -> load("level: coarse\nserver: {costs: {model: models/local-node.yaml}}\n"))
                .hasMessageContaining("server.costs: the nodes' costs are modelled at level full only");
    }

    @Test
    void shouldReadTheCostsWrittenInline() throws Exception {
        Scenario s = load("""
                server:
                  costs:
                    cores: 2
                    accept_backlog: 16
                    connect: {dist: fixed, us: 150}
                    frame: {send: {dist: fixed, us: 90}}
                    frame_default: {dist: fixed, us: 50}
                    peer_default: {dist: lognormal, median_us: 40, sigma: 0.3}
                """);
        assertThat(s.costs().cores()).isEqualTo(2);
        assertThat(s.costs().acceptBacklog()).isEqualTo(16);
        assertThat(s.costs().frame("send")).isEqualTo(new ServiceTime.Fixed(90));
        assertThat(s.costs().source()).isEqualTo("inline");
        assertThat(s.settings().get("server")).isInstanceOf(Map.class);
    }

    @Test
    void shouldReadTheCheckedInModelOfThisMachineFromALibraryFile() throws ScenarioException {
        Scenario s = ScenarioLoader.load(Path.of("library", "server-kill-herd-saturation.yaml"));
        assertThat(s.costs().source()).isEqualTo("models/local-node.yaml");
        assertThat(s.costs().cores()).isEqualTo(1);
        assertThat(s.costs().acceptBacklog()).isEqualTo(4096);
    }

    @Test
    void shouldTurnCostsOnFromTheCommandLine() throws ScenarioException {
        Scenario s = ScenarioLoader.load(Path.of("library", "smoke.yaml"), List.of("server.costs={cores: 4, accept_backlog: 8,"
                + " connect: {dist: fixed, us: 1}, frame_default: {dist: fixed, us: 1}, peer_default: {dist: fixed, us: 1}}"));
        assertThat(s.costs().cores()).isEqualTo(4);
        Scenario off = ScenarioLoader.load(Path.of("library", "server-kill-herd-saturation.yaml"), List.of("server.costs=none"));
        assertThat(off.costs()).isNull();
    }

    @Test
    void shouldFindTheCheckedInModelFromAScenarioOutsideTheRepository() throws Exception {
        // The scenario lives in a temporary folder and the working directory has no models/: the built copy serves.
        Scenario s = load("server: {costs: {model: models/local-node.yaml}}\n");
        assertThat(s.costs().source()).isEqualTo("models/local-node.yaml");
        assertThat(s.costs().cores()).isEqualTo(1);
    }

    @Test
    void shouldNameTheLineOfAMistakeInInlineCosts() {
        assertThatThrownBy(() -> load("""
                server:
                  costs:
                    cores: 2
                    accept_backlog: 16
                    connect: {dist: fixd, us: 150}
                    frame_default: {dist: fixed, us: 50}
                    peer_default: {dist: fixed, us: 50}
                """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageEndingWith("s.yaml:5:21: server.costs.connect.dist: expected one of fixed, lognormal, empirical, got 'fixd'");
    }

    @Test
    void shouldSayWhichModelFileIsMissingOrOfTheWrongKind() throws Exception {
        assertThatThrownBy(() -> load("server: {costs: {model: models/nowhere.yaml}}\n"))
                .hasMessageContaining("s.yaml:1:25: server.costs.model: no model file 'models/nowhere.yaml'");
        Files.writeString(dir.resolve("store.yaml"), "model: 1\nkind: store\nstore: {default: {dist: fixed, us: 10}}\n");
        assertThatThrownBy(() -> load("server: {costs: {model: " + dir.resolve("store.yaml") + "}}\n"))
                .hasMessageContaining("server.costs.model: expected a kind: node model file, got kind: store");
        assertThatThrownBy(() -> load("server: {costs: {model: models/local-node.yaml, cores: 2}}\n"))
                .hasMessageContaining("expected 'model' alone");
    }

    @Test
    void shouldReportAMistakeInsideTheModelFileWithItsOwnFileAndLine() throws Exception {
        Path model = dir.resolve("bad.yaml");
        Files.writeString(model, "model: 1\nkind: node\nnode:\n  cores: two\n");
        assertThatThrownBy(() -> load("server: {costs: {model: " + model + "}}\n"))
                .hasMessage(model + ":4:10: node.cores: expected an integer from 1 to 1024, got 'two'");
    }

    @Test
    void shouldTimeTheStoreByAStoreModelFile() throws Exception {
        Files.writeString(dir.resolve("pg.yaml"), "model: 1\nkind: store\nstore:\n  append: {dist: fixed, us: 900}\n"
                + "  default: {dist: fixed, us: 300}\n");
        Scenario s = load("store: {kind: postgres, model: " + dir.resolve("pg.yaml") + "}\n");
        assertThat(s.store().ops().op("append")).isEqualTo(new ServiceTime.Fixed(900));
        assertThat(s.store().kind()).isEqualTo(StoreModel.Kind.BTREE);
        // The words of the disk model keep their meaning.
        assertThat(load("store: {model: btree}\n").store().ops()).isNull();
        assertThatThrownBy(() -> load("store: {model: " + dir.resolve("pg.yaml") + ", write: 1ms}\n"))
                .hasMessageContaining("store.write: belongs to the lsm and btree models");
        // The coarse level reads the file too (its append times; CoarseStoreModelTest).
        assertThat(load("level: coarse\nstore: {model: " + dir.resolve("pg.yaml") + "}\n").store().ops()).isNotNull();
    }
}
