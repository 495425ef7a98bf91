package dev.chatlab.sim.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark compares like with like only if both event loops take exactly the same path. */
class KernelMatchesBaselineTest {

    @Test
    void shouldRunPholdInTheSameOrderAsThePriorityQueueBaseline() {
        Phold kernel = new Phold(2_000, 40_000, 1.0, 0.1, 5);
        HeapPhold baseline = new HeapPhold(2_000, 40_000, 1.0, 0.1, 5);

        assertThat(kernel.run(400_000)).isEqualTo(400_000);
        assertThat(baseline.run(400_000)).isEqualTo(400_000);

        assertThat(kernel.checksum()).isEqualTo(baseline.checksum());
        assertThat(kernel.pendingEvents()).isEqualTo(40_000).isEqualTo(baseline.pendingEvents());
    }

    @Test
    void shouldRunMm1InTheSameOrderAsThePriorityQueueBaselineAndMatchQueueingTheory() {
        MM1 kernel = MM1.standard(5);
        HeapMM1 baseline = HeapMM1.standard(5);

        kernel.run(2_000_000);
        baseline.run(2_000_000);

        assertThat(kernel.checksum()).isEqualTo(baseline.checksum());
        assertThat(kernel.served()).isBetween(990_000L, 1_000_000L);
        // rho / (1 - rho) = 9 customers on average; a short run of a heavily loaded queue wanders.
        assertThat(kernel.meanInSystem()).isBetween(6.0, 12.0);
    }

    @Test
    void shouldGiveDifferentRunsForDifferentSeeds() {
        Phold a = new Phold(100, 1_000, 1.0, 0.1, 1);
        Phold b = new Phold(100, 1_000, 1.0, 0.1, 2);
        a.run(10_000);
        b.run(10_000);
        assertThat(a.checksum()).isNotEqualTo(b.checksum());
    }
}
