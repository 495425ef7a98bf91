package dev.chatlab.scenarios.world;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {

    @Test
    void shouldServeWorkOnOneCoreInArrivalOrder() {
        WorkQueue cores = new WorkQueue(1, 10);
        assertThat(cores.admit(0, 100)).isEqualTo(100);
        assertThat(cores.admit(0, 50)).isEqualTo(150);      // waited 100 for the core
        assertThat(cores.admit(10, 5)).isEqualTo(155);
        assertThat(cores.admit(1_000, 5)).isEqualTo(1_005); // an idle core starts at once
        assertThat(cores.stats().queueDelayPercentileMicros(100)).isBetween(140L, 141L);
    }

    @Test
    void shouldRunAsManyPiecesOfWorkAtOnceAsThereAreCores() {
        WorkQueue cores = new WorkQueue(2, 10);
        assertThat(cores.admit(0, 100)).isEqualTo(100);
        assertThat(cores.admit(0, 300)).isEqualTo(300);
        // The third waits for the first core to free up, not for the second.
        assertThat(cores.admit(0, 10)).isEqualTo(110);
        assertThat(cores.admit(0, 5)).isEqualTo(115);
        assertThat(cores.admit(0, 1)).isEqualTo(116);
    }

    @Test
    void shouldRefuseConnectionAttemptsBeyondTheAcceptBacklog() {
        WorkQueue cores = new WorkQueue(1, 2);
        assertThat(cores.admitConnect(0, 100)).isEqualTo(100);   // starts at once: not waiting
        assertThat(cores.admitConnect(0, 100)).isEqualTo(200);   // waits (1)
        assertThat(cores.admitConnect(0, 100)).isEqualTo(300);   // waits (2): the backlog is full
        assertThat(cores.connectsWaiting(0)).isEqualTo(2);
        assertThat(cores.admitConnect(0, 100)).isEqualTo(-1);
        assertThat(cores.stats().refusedCount()).isEqualTo(1);
        // Once one of the waiting set-ups has started, there is room again.
        assertThat(cores.connectsWaiting(150)).isEqualTo(1);
        assertThat(cores.admitConnect(150, 100)).isEqualTo(400);
    }

    @Test
    void shouldNotLetOtherWorkCountAgainstTheAcceptBacklog() {
        WorkQueue cores = new WorkQueue(1, 1);
        for (int i = 0; i < 5; i++) {
            cores.admit(0, 100);
        }
        assertThat(cores.admitConnect(0, 100)).isEqualTo(600);
        assertThat(cores.admitConnect(0, 100)).isEqualTo(-1);
    }

    @Test
    void shouldAcceptAConnectionThatCanStartAtOnceEvenWithNoBacklog() {
        WorkQueue cores = new WorkQueue(1, 0);
        assertThat(cores.admitConnect(0, 100)).isEqualTo(100);
        assertThat(cores.admitConnect(50, 100)).isEqualTo(-1);
        assertThat(cores.admitConnect(100, 100)).isEqualTo(200);
    }
}
