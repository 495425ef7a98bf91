package dev.chatlab.experiments;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coarse level stays within reach of the full level on the same world, through the comparison
 * a user runs ({@code chatlab compare FILE --vary level=coarse,full}), at a tenth of the calibration
 * files' devices for a few simulated seconds (about 10 s for both files). The message rate is
 * kept, so the nodes and the store are as busy as at 20,000 devices: a coarse model that lost some
 * of their load (the store's watermark writes: p50 -13.8% against the bound's 10%) or that spread a
 * herd unevenly or too late drifts out of the bounds here. The runs are deterministic (seed 1), so
 * the bounds keep a margin only for changes of either level's model; docs/fidelity.md has the gaps
 * at 20,000 devices on 3 seeds.
 */
class CoarseAgainstFullTest {

    private static final List<String> SMALLER = List.of("population.users=2000", "population.chats=1000",
            "duration=10s", "quiesce_at=8s");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // file | extra --set | metric=bound;...
            // seed 1 measured -5.8%, -3.5%, -5.2%, -5.2%, -0.8%; without the watermark writes p50 is -13.8%
            "coarse-full | | p50(send_to_ack)=0.10;p99(send_to_ack)=0.15;p50(send_to_deliver)=0.10;"
                    + "p99(send_to_deliver)=0.15;throughput(delivers)=0.05",
            // seed 1 measured -3.6%, -3.8%, -1.6%, -25.1%, -3.4%, +4.7%; reconnect p50 was -15.9% with the
            // coarse session_service of 6.69 ms (11 directory updates and acks a reconnection at the full level,
            // 3 now): the coarse level welcomes its devices when the views drop n2 (500 ms), the full one 168 ms later
            "coarse-full-kill | faults=[{at: 3s, kill: n2}] | p50(send_to_ack)=0.15;p50(send_to_deliver)=0.15;throughput(delivers)=0.05;"
                    + "p50(reconnect)=0.30;sessions_per_node(max)=0.10;sessions_per_node(min)=0.10"})
    void shouldKeepTheCoarseLevelWithinReachOfTheFullOne(String file, String extra, String bounds) throws Exception {
        List<String> sets = new ArrayList<>(SMALLER);
        if (extra != null) {
            sets.add(extra);
        }
        List<String> names = new ArrayList<>();
        List<Double> limits = new ArrayList<>();
        for (String pair : bounds.split(";")) {
            names.add(pair.substring(0, pair.indexOf('=')));
            limits.add(Double.parseDouble(pair.substring(pair.indexOf('=') + 1)));
        }
        Experiment experiment = new Experiment(Path.of("../scenarios/calibration/" + file + ".yaml"), sets,
                List.of(VaryAxis.parse("level=coarse,full")), 1L, 1, ScenarioRunner.Engine.SIM, Metric.named(names), null, 1,
                dir.resolve(file), 1);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Comparison c = ExperimentRunner.run(PreparedExperiment.of(experiment),
                new ProgressLine("test", quiet, () -> 0L, false));

        List<FidelityGap> gaps = FidelityGap.on(FidelityGap.Axis.LEVEL, c.fidelityGaps());
        assertThat(gaps).hasSize(names.size());
        assertThat(FidelityGap.on(FidelityGap.Axis.ENGINE, c.fidelityGaps())).isEmpty();
        List<String> outside = new ArrayList<>();
        for (int i = 0; i < gaps.size(); i++) {
            FidelityGap g = gaps.get(i);
            assertThat(g.metric().name()).isEqualTo(names.get(i));
            assertThat(g.model().settings()).containsEntry("level", "coarse");
            assertThat(g.reference().settings()).containsEntry("level", "full");
            String line = String.format(Locale.ROOT, "%s: coarse %s, full %s, gap %s (bound %.0f%%)", g.metric().name(),
                    g.metric().format(g.modelValue()), g.metric().format(g.referenceValue()), g.gapText(), 100 * limits.get(i));
            if (Double.isNaN(g.gap()) || Math.abs(g.gap()) > limits.get(i)) {
                outside.add(line);
            }
        }
        assertThat(outside).as("%s, seed 1, %s: gaps outside their bounds", file, sets).isEmpty();
    }
}
