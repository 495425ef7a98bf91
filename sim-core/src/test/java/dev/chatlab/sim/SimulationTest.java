package dev.chatlab.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationTest {

    private final Simulation sim = new Simulation();
    private final List<String> log = new ArrayList<>();

    private int recorder() {
        return sim.register((target, kind, payload) -> log.add(sim.now() + ":" + target + "/" + kind + "/" + payload));
    }

    @Test
    void shouldRunEventsInTimeOrderWhateverTheSchedulingOrder() {
        int h = recorder();
        sim.schedule(300, h, 3, 0, 0L);
        sim.schedule(100, h, 1, 0, 0L);
        sim.schedule(200, h, 2, 0, 0L);

        sim.run();

        assertThat(log).containsExactly("100:1/0/0", "200:2/0/0", "300:3/0/0");
        assertThat(sim.now()).isEqualTo(300);
        assertThat(sim.eventsProcessed()).isEqualTo(3);
    }

    @Test
    void shouldBreakTiesAtEqualTimeInSchedulingOrder() {
        int h = recorder();
        for (int i = 0; i < 50; i++) {
            sim.schedule(1_000, h, i, 0, 0L);
        }
        sim.schedule(1_000, () -> log.add("runnable"));
        sim.schedule(1_000, h, 99, 0, 0L);

        sim.run();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("1000:" + i + "/0/0");
        }
        expected.add("runnable");
        expected.add("1000:99/0/0");
        assertThat(log).isEqualTo(expected);
    }

    @Test
    void shouldRunAnEventScheduledForNowAfterThoseAlreadyPendingAtNow() {
        int h = recorder();
        sim.schedule(10, () -> sim.schedule(10, h, 2, 0, 0L));
        sim.schedule(10, h, 1, 0, 0L);

        sim.run();

        assertThat(log).containsExactly("10:1/0/0", "10:2/0/0");
    }

    @Test
    void shouldHandTheEventItsTargetKindPayloadAndAttachment() {
        List<Object> seen = new ArrayList<>();
        int h = sim.register(new EventHandler() {
            @Override
            public void onEvent(int target, int kind, long payload) {
                seen.add(List.of(target, kind, payload));
            }

            @Override
            public void onEvent(int target, int kind, long payload, Object attachment) {
                seen.add(List.of(target, kind, payload, attachment));
            }
        });
        sim.schedule(5, h, 7, -3, Long.MIN_VALUE);
        sim.schedule(6, h, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, "hello");

        sim.run();

        assertThat(seen).containsExactly(List.of(7, -3, Long.MIN_VALUE),
                List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, "hello"));
    }

    @Test
    void shouldNotRunACancelledEvent() {
        int h = recorder();
        long keep = sim.schedule(10, h, 1, 0, 0L);
        long drop = sim.schedule(20, h, 2, 0, 0L);

        assertThat(sim.cancel(drop)).isTrue();
        assertThat(sim.isPending(drop)).isFalse();
        assertThat(sim.isPending(keep)).isTrue();
        assertThat(sim.pendingEvents()).isEqualTo(1);
        sim.run();

        assertThat(log).containsExactly("10:1/0/0");
        assertThat(sim.eventsProcessed()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToCancelTwiceOrAfterTheEventRan() {
        int h = recorder();
        long ran = sim.schedule(10, h, 1, 0, 0L);
        long cancelled = sim.schedule(20, h, 2, 0, 0L);
        sim.cancel(cancelled);
        sim.run();

        assertThat(sim.cancel(ran)).isFalse();
        assertThat(sim.cancel(cancelled)).isFalse();
        assertThat(sim.cancel(Simulation.NO_TIMER)).isFalse();
    }

    @Test
    void shouldNotLetAStaleHandleCancelALaterEventInTheSameStorage() {
        int h = recorder();
        long first = sim.schedule(10, h, 1, 0, 0L);
        sim.run();
        // The freed slot is reused by the next event.
        long second = sim.schedule(20, h, 2, 0, 0L);

        assertThat(second).isNotEqualTo(first);
        assertThat(sim.cancel(first)).isFalse();
        sim.run();
        assertThat(log).containsExactly("10:1/0/0", "20:2/0/0");
    }

    @Test
    void shouldLetAnEventCancelAnotherAtTheSameTime() {
        int h = recorder();
        long[] victim = new long[1];
        sim.schedule(10, () -> sim.cancel(victim[0]));
        victim[0] = sim.schedule(10, h, 1, 0, 0L);

        sim.run();

        assertThat(log).isEmpty();
    }

    @Test
    void shouldReportThePayloadOfAPendingEvent() {
        int h = recorder();
        long timer = sim.schedule(10, h, 1, 0, 42L);
        assertThat(sim.payloadOf(timer)).isEqualTo(42L);
        sim.run();
        assertThatThrownBy(() -> sim.payloadOf(timer)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectSchedulingInThePastOrTooFarAhead() {
        int h = recorder();
        sim.schedule(100, h, 0, 0, 0L);
        sim.run();

        assertThatThrownBy(() -> sim.schedule(99, h, 0, 0, 0L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.after(-1, () -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.schedule(Simulation.MAX_TIME + 1, h, 0, 0, 0L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.schedule(200, 99, 0, 0, 0L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.schedule(200, 0, 0, 0, 0L))
                .as("handler 0 is the kernel's own").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldScheduleRelativeToTheCurrentEventsTime() {
        List<Long> times = new ArrayList<>();
        sim.schedule(1_000, () -> sim.after(500, () -> times.add(sim.now())));

        sim.run();

        assertThat(times).containsExactly(1_500L);
    }

    @Test
    void shouldRunUntilTheLimitInclusiveAndLeaveTimeThere() {
        int h = recorder();
        sim.schedule(100, h, 1, 0, 0L);
        sim.schedule(200, h, 2, 0, 0L);
        sim.schedule(201, h, 3, 0, 0L);

        long ran = sim.runUntil(200);

        assertThat(ran).isEqualTo(2);
        assertThat(sim.now()).isEqualTo(200);
        assertThat(sim.nextEventTime()).isEqualTo(201);
        sim.runFor(1_000);
        assertThat(sim.now()).isEqualTo(1_200);
        assertThat(log).hasSize(3);
    }

    @Test
    void shouldStopAfterTheCurrentEventAndResumeLater() {
        int h = recorder();
        sim.schedule(1, h, 1, 0, 0L);
        sim.schedule(2, () -> sim.stop());
        sim.schedule(3, h, 3, 0, 0L);

        sim.run();
        assertThat(sim.now()).isEqualTo(2);
        assertThat(log).containsExactly("1:1/0/0");

        sim.run();
        assertThat(log).containsExactly("1:1/0/0", "3:3/0/0");
    }

    @Test
    void shouldStepOneEventAtATime() {
        int h = recorder();
        sim.schedule(1, h, 1, 0, 0L);
        sim.schedule(2, h, 2, 0, 0L);

        assertThat(sim.step()).isTrue();
        assertThat(log).containsExactly("1:1/0/0");
        assertThat(sim.runEvents(5)).isEqualTo(1);
        assertThat(sim.step()).isFalse();
    }

    @Test
    void shouldReportNoNextEventWhenOnlyCancelledOnesRemain() {
        int h = recorder();
        long timer = sim.schedule(1, h, 1, 0, 0L);
        sim.cancel(timer);

        assertThat(sim.nextEventTime()).isEqualTo(-1);
        assertThat(sim.pendingEvents()).isZero();
    }

    @Test
    void shouldRefuseToRunFromInsideAHandler() {
        List<Throwable> errors = new ArrayList<>();
        sim.schedule(1, () -> {
            try {
                sim.run();
            } catch (IllegalStateException e) {
                errors.add(e);
            }
        });

        sim.run();

        assertThat(errors).hasSize(1);
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void shouldGiveTheSameTraceDigestForTheSameScheduleAndADifferentOneOtherwise() {
        assertThat(digestOfRing(1_000)).isEqualTo(digestOfRing(1_000));
        assertThat(digestOfRing(1_000)).isNotEqualTo(digestOfRing(1_001));
    }

    private static long digestOfRing(long hopMicros) {
        Simulation ring = new Simulation();
        TraceDigest digest = new TraceDigest();
        ring.setTracer(digest);
        int[] id = new int[1];
        id[0] = ring.register((target, kind, payload) -> {
            if (payload < 100) {
                ring.after(hopMicros, id[0], (target + 1) % 7, kind, payload + 1);
            }
        });
        ring.schedule(0, id[0], 0, 0, 0L);
        ring.run();
        assertThat(digest.events()).isEqualTo(101);
        return digest.value();
    }
}
