package dev.chatlab.experiments;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The experiment's one progress line: runs done, failures, and an ETA at the pace so far. */
class ProgressLineTest {

    @Test
    void shouldEstimateTheTimeLeftFromThePaceSoFar() {
        AtomicLong now = new AtomicLong(1_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine p = new ProgressLine("compare", new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, false);
        now.addAndGet(4_000_000_000L);
        assertThat(p.line(2, 10, 1)).isEqualTo("compare: 2/10 runs, 1 failed, ETA 16s");
        now.addAndGet(200_000_000_000L);
        assertThat(p.line(10, 10, 1)).isEqualTo("compare: 10/10 runs, 1 failed, took 3m24s");
        // In a log (not a terminal): the first run, then about every tenth of the runs, not every run.
        for (int done = 1; done <= 40; done++) {
            p.update(done, 40, 0);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(11);
    }
}
