package dev.chatlab.stats;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Presence;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.Send;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one recorder of run statistics, as the simulator's summary, the real run's summary and the
 * reports read it.
 */
class RunRecorderTest {

    private static RunMetrics record(long interval, HistoryEvent... events) {
        RunRecorder r = new RunRecorder(interval);
        for (HistoryEvent e : events) {
            r.accept(e);
        }
        return r.finish();
    }

    /** Above 2048 us a histogram keeps three significant digits: the max is the top of the value's bucket. */
    static boolean equivalent(org.HdrHistogram.Histogram h, long expectedMax) {
        return h.valuesAreEquivalent(h.getMaxValue(), expectedMax);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latency(RunRecorder r, String name) {
        return (Map<String, Object>) r.latency().get(name);
    }

    @Test
    void shouldGiveExactPercentilesOfSendToAckOnSmallInputs() {
        RunRecorder r = new RunRecorder();
        // 100 messages whose ack takes 1..100 us: p50 is 50, p99 is 99, max 100 (nearest rank).
        for (int i = 1; i <= 100; i++) {
            r.accept(new Send(i * 1_000L, "u1", "d1", "c1", "m" + i));
            r.accept(new Ack(i * 1_000L + i, "u1", "d1", "c1", "m" + i, i));
        }
        RunMetrics m = r.finish();
        assertThat(m.sendToAck().getTotalCount()).isEqualTo(100);
        assertThat(m.sendToAck().getValueAtPercentile(50)).isEqualTo(50);
        assertThat(m.sendToAck().getValueAtPercentile(99)).isEqualTo(99);
        assertThat(m.sendToAck().getMaxValue()).isEqualTo(100);
        assertThat(m.sendToAck().getMinValue()).isEqualTo(1);
        assertThat(m.count("acks")).isEqualTo(100);
        assertThat(m.count("messages")).isEqualTo(100);
    }

    @Test
    void shouldMeasureFromTheFirstSendOfARetriedMessage() {
        RunMetrics m = record(1_000_000,
                new Send(100, "u1", "d1", "c1", "m1"),
                new Send(5_000, "u1", "d1", "c1", "m1"),
                new Ack(5_100, "u1", "d1", "c1", "m1", 1),
                new Deliver(5_300, "u2", "d1", "c1", 1, "m1", "u1", null));
        assertThat(equivalent(m.sendToAck(), 5_000)).isTrue();
        assertThat(equivalent(m.sendToDeliver(), 5_200)).isTrue();
        assertThat(m.count("sends")).isEqualTo(2);
        assertThat(m.count("messages")).isEqualTo(1);
    }

    @Test
    void shouldLeaveMessagesFirstSentInTheWarmUpOutOfTheLatencyButNotOutOfTheWholeRun() {
        RunRecorder r = new RunRecorder().measuringFrom(1_000_000);
        // Cold: sent at 0.5 s, acked 900 ms later (a first send before the warm-up's end counts as cold
        // even when retried after it). Warm: sent at 2 s, 2 ms.
        r.accept(new Send(500_000, "u1", "d1", "c1", "cold"));
        r.accept(new Send(1_200_000, "u1", "d1", "c1", "cold"));
        r.accept(new Ack(1_400_000, "u1", "d1", "c1", "cold", 1));
        r.accept(new Deliver(1_400_100, "u2", "d1", "c1", 1, "cold", "u1", null));
        r.accept(new Send(2_000_000, "u1", "d1", "c1", "warm"));
        r.accept(new Ack(2_002_000, "u1", "d1", "c1", "warm", 2));
        r.accept(new Deliver(2_003_000, "u2", "d1", "c1", 2, "warm", "u1", null));

        assertThat(latency(r, "send_to_ack")).containsEntry("count", 1L).containsEntry("max_us", 2_000L);
        assertThat(latency(r, "send_to_deliver")).containsEntry("count", 1L).containsEntry("max_us", 3_000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> whole = (Map<String, Object>) r.latencyWholeRun().get("send_to_ack");
        assertThat(whole).containsEntry("count", 2L).containsEntry("max_us", 900_000L);
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        r.putLatency(summary);
        assertThat(summary).containsKeys("latency_us", "latency_whole_run_us").containsEntry("latency_from_us", 1_000_000L);
        assertThat(r.latencyLines()).contains("from 1.0 s on").contains("latency_whole_run_us");
    }

    @Test
    void shouldPutOnlyTheWholeRunsLatencyWithoutAWarmUp() {
        RunRecorder r = new RunRecorder();
        r.accept(new Send(500_000, "u1", "d1", "c1", "m"));
        r.accept(new Ack(500_700, "u1", "d1", "c1", "m", 1));
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        r.putLatency(summary);
        assertThat(summary).containsOnlyKeys("latency_us");
        assertThat(latency(r, "send_to_ack")).containsEntry("count", 1L).containsEntry("max_us", 700L);
    }

    @Test
    void shouldPutEachLatencyInTheIntervalWhereTheAckHappened() {
        RunMetrics m = record(1_000_000,
                new Send(900_000, "u1", "d1", "c1", "a"),
                new Ack(950_000, "u1", "d1", "c1", "a", 1),
                new Send(990_000, "u1", "d1", "c1", "b"),
                new Ack(2_500_000, "u1", "d1", "c1", "b", 2));
        List<IntervalStats> in = m.intervals();
        assertThat(in).hasSize(3);
        assertThat(in.get(0).sendToAck().getTotalCount()).isEqualTo(1);
        assertThat(equivalent(in.get(0).sendToAck(), 50_000)).isTrue();
        assertThat(in.get(1).sendToAck().getTotalCount()).isZero();
        assertThat(in.get(2).sendToAck().getTotalCount()).isEqualTo(1);
        assertThat(in.get(2).startMicros()).isEqualTo(2_000_000);
        assertThat(in.get(2).acks()).isEqualTo(1);
        assertThat(in.get(0).sends()).isEqualTo(2);
    }

    @Test
    void shouldCountReconnectsAndOpenSessionsPerInterval() {
        RunMetrics m = record(1_000_000,
                new Connect(10, "u1", "d1", "n1"),
                new Connect(20, "u2", "d1", "n1"),
                new Disconnect(1_100_000, "u1", "d1", "node-crash"),
                new Disconnect(1_100_000, "u2", "d1", "node-crash"),
                new Connect(1_400_000, "u1", "d1", "n2"),
                new Connect(2_200_000, "u2", "d1", "n2"));
        List<IntervalStats> in = m.intervals();
        assertThat(in).extracting(IntervalStats::openConnections).containsExactly(2L, 1L, 2L);
        assertThat(in).extracting(IntervalStats::openMin).containsExactly(0L, 0L, 1L);   // the run starts with none open
        assertThat(in).extracting(IntervalStats::reconnects).containsExactly(0L, 1L, 1L);
        assertThat(in).extracting(IntervalStats::disconnects).containsExactly(0L, 2L, 0L);
        assertThat(m.count("reconnects")).isEqualTo(2);
        assertThat(m.count("connects")).isEqualTo(4);
    }

    @Test
    void shouldMeasurePresenceStalenessFromTheLastTrueChange() {
        RunMetrics m = record(1_000_000,
                new Connect(1_000, "u2", "phone", "n1"),
                new Connect(2_000, "u2", "laptop", "n1"),          // still online: no change
                new Presence(4_000, "u1", "d1", "u2", PresenceState.ONLINE, null),
                new Disconnect(10_000, "u2", "phone", null),
                new Disconnect(20_000, "u2", "laptop", null),      // offline from here
                new Presence(50_000, "u1", "d1", "u2", PresenceState.ONLINE, null),
                new Presence(60_000, "u1", "d1", "u9", PresenceState.OFFLINE, null));  // unknown user: not measured
        assertThat(m.presenceStaleness().getTotalCount()).isEqualTo(2);
        assertThat(m.presenceStaleness().getMinValue()).isEqualTo(3_000);
        assertThat(equivalent(m.presenceStaleness(), 30_000)).isTrue();
    }

    @Test
    void shouldRejectTGoingBackwards() {
        RunRecorder r = new RunRecorder();
        r.accept(new Connect(100, "u1", "d1", "n1"));
        assertThatThrownBy(() -> r.accept(new Connect(99, "u1", "d1", "n1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backwards");
    }

    @Test
    void shouldAddIntervalsUpToTheWholeRunHistogram() {
        RunRecorder r = new RunRecorder(100);
        for (int i = 0; i < 50; i++) {
            r.accept(new Send(i * 37L, "u1", "d1", "c1", "m" + i));
        }
        for (int i = 0; i < 50; i++) {
            r.accept(new Ack(2_000 + i * 41L, "u1", "d1", "c1", "m" + i, i + 1));
        }
        RunMetrics m = r.finish();
        long inIntervals = m.intervals().stream().mapToLong(s -> s.sendToAck().getTotalCount()).sum();
        assertThat(inIntervals).isEqualTo(m.sendToAck().getTotalCount()).isEqualTo(50);
    }
    @Test
    void shouldSummariseNearestRankPercentilesOfOneToAThousandExactly() {
        RunRecorder r = new RunRecorder();
        for (int i = 1000; i >= 1; i--) {   // acks in the reverse order of their latency
            r.accept(new Send(10_000 - i, "u1", "d1", "c1", "m" + i));
        }
        for (int i = 1000; i >= 1; i--) {
            r.accept(new Ack(10_000, "u1", "d1", "c1", "m" + i, i));
        }
        Map<String, Object> ack = latency(r, "send_to_ack");
        // Latencies 10,000 - (10,000 - i) = i: 1 to 1000 us, below 2048 us where the histogram is exact.
        assertThat(ack).containsEntry("count", 1000L).containsEntry("p50_us", 500L).containsEntry("p99_us", 990L)
                .containsEntry("p999_us", 999L).containsEntry("max_us", 1000L);
    }

    @Test
    void shouldGiveTheExactMaxAboveTheHistogramsExactRange() {
        RunRecorder r = new RunRecorder();
        r.accept(new Send(0, "u1", "d1", "c1", "m1"));
        r.accept(new Ack(1_234_567, "u1", "d1", "c1", "m1", 1));
        Map<String, Object> ack = latency(r, "send_to_ack");
        // The histogram alone would say 1,234,943 (the top of the value's bucket) for the max and every percentile.
        assertThat(ack).containsEntry("max_us", 1_234_567L).containsEntry("p50_us", 1_234_567L)
                .containsEntry("p999_us", 1_234_567L);
    }

    @Test
    void shouldSummariseZerosWhenNothingWasMeasured() {
        RunRecorder r = new RunRecorder();
        assertThat(latency(r, "send_to_deliver")).containsEntry("count", 0L).containsEntry("p50_us", 0L)
                .containsEntry("max_us", 0L);
        assertThat(r.reconnectTime()).containsEntry("count", 0L);
    }

    @Test
    void shouldTimeEachLostConnectionUntilTheDeviceIsBackButNotAUserWhoWentOfflineOnPurpose() {
        RunRecorder r = new RunRecorder();
        r.accept(new Connect(0, "u1", "d1", "n1"));
        r.accept(new Connect(0, "u2", "d1", "n2"));
        r.accept(new Connect(0, "u3", "d1", "n1"));
        r.accept(new Disconnect(5_000_000, "u1", "d1", "node n1 died"));
        r.accept(new Disconnect(5_000_000, "u2", "d1", ClientDevice.WENT_OFFLINE));
        r.accept(new Disconnect(5_000_000, "u3", "d1", "node n1 died"));
        r.accept(new Connect(6_500_000, "u1", "d1", "n2"));
        r.accept(new Connect(9_000_000, "u2", "d1", "n2"));
        // The first connect of a device is a login, not a reconnect; u2 chose to be away for 4 s; u3 never came back.
        assertThat(r.reconnectTime()).containsEntry("count", 1L).containsEntry("max_us", 1_500_000L);
        assertThat(r.devicesNeverReconnected()).isEqualTo(1);
    }

    @Test
    void shouldCountConnectsPerIntervalUpToTheEndAskedForWithEmptyIntervalsAsZero() {
        RunRecorder r = new RunRecorder(100_000);
        r.accept(new Connect(50_000, "u1", "d1", "n1"));
        r.accept(new Connect(60_000, "u2", "d1", "n1"));
        r.accept(new Disconnect(250_000, "u1", "d1", "node n1 died"));
        r.accept(new Connect(310_000, "u1", "d1", "n2"));   // the open interval: not closed yet
        assertThat(r.connectsOverTime(600_000)).containsExactly(2L, 0L, 0L, 1L, 0L, 0L);
        assertThat(r.disconnectsOverTime(350_000)).containsExactly(0L, 0L, 1L, 0L);
        r.finish();
        assertThat(r.connectsOverTime(450_000)).containsExactly(2L, 0L, 0L, 1L, 0L);
    }

    @Test
    void shouldCountEveryKindOfEventForTheSummaryInAFixedOrder() {
        RunRecorder r = new RunRecorder();
        r.accept(new Connect(1, "u1", "d1", "n1"));
        r.accept(new Send(2, "u1", "d1", "c1", "m1"));
        r.accept(new Send(3, "u1", "d1", "c1", "m2"));
        r.accept(new Ack(4, "u1", "d1", "c1", "m1", 1));
        assertThat(r.counts()).containsExactly(Map.entry("history_events", 4L), Map.entry("messages", 2),
                Map.entry("sends", 2L), Map.entry("acks", 1L), Map.entry("fails", 0L), Map.entry("indeterminate", 1),
                Map.entry("delivers", 0L), Map.entry("reads", 0L), Map.entry("typing", 0L), Map.entry("connects", 1L),
                Map.entry("peak_connects_1s", 0L), Map.entry("disconnects", 0L), Map.entry("presence", 0L),
                Map.entry("receipts", 0L));
    }

    @Test
    void shouldFindTheBusiestSecondOfConnectsWhereverItFalls() {
        RunRecorder r = new RunRecorder();
        // Logins in the first second are not the herd, and two connects 1.5 s apart never share a window.
        r.accept(new Connect(500_000, "early", "d1", "n1"));
        // A herd of 30 reconnections from 1.7 s to 2.3 s: whole-second buckets cut it into 15 and 15.
        for (int i = 0; i < 30; i++) {
            r.accept(new Connect(1_700_000 + i * 20_000L, "u" + i, "d1", "n1"));
        }
        r.accept(new Connect(5_000_000, "late1", "d1", "n1"));
        r.accept(new Connect(6_500_000, "late2", "d1", "n1"));
        assertThat(r.counts()).containsEntry("peak_connects_1s", 30L);
        assertThat(r.connectsOverTime(7_000_000).subList(1, 3)).containsExactly(15L, 15L);
    }
}
