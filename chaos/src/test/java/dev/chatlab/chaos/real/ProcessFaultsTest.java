package dev.chatlab.chaos.real;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessFaultsTest {

    /** Three fake nodes that are up until killed. */
    private static final class FakeNodes implements NodeProcesses {
        final Set<String> up = new HashSet<>(List.of("n1", "n2", "n3"));

        @Override
        public boolean kill(String node) {
            return up.remove(node);
        }

        @Override
        public boolean restart(String node) {
            return up.add(node);
        }

        @Override
        public boolean isAlive(String node) {
            return up.contains(node);
        }
    }

    private long now;

    @Test
    void shouldCountOnlyFaultsThatActuallyHappened() throws Exception {
        FakeNodes nodes = new FakeNodes();
        ProcessFaults faults = new ProcessFaults(nodes, List.of("n1", "n2", "n3"), () -> now += 10);
        assertThat(faults.kill("n2")).isTrue();
        assertThat(faults.kill("n2")).isFalse();
        assertThat(faults.restart("n1")).isFalse();
        assertThat(faults.restart("n2")).isTrue();
        assertThat(faults.counts()).isEqualTo(Map.of("node-kill", 1L, "node-restart", 1L));
        assertThat(faults.total()).isEqualTo(2);
    }

    @Test
    void shouldRecoverDeadNodesAtQuiesceWithoutCountingThemAsFaults() throws Exception {
        FakeNodes nodes = new FakeNodes();
        ProcessFaults faults = new ProcessFaults(nodes, List.of("n1", "n2", "n3"), () -> now += 10);
        faults.kill("n1");
        faults.kill("n3");
        assertThat(faults.restartAllDown()).isEqualTo(2);
        assertThat(nodes.up).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(faults.counts()).isEqualTo(Map.of("node-kill", 2L));
        assertThat(faults.injected()).extracting(ProcessFaults.Injected::kind)
                .containsExactly("node-kill", "node-kill", "node-recover", "node-recover");
    }
}
