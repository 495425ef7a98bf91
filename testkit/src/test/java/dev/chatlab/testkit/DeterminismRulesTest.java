package dev.chatlab.testkit;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismRulesTest {

    static final class ReadsWallClock {
        long now() { return System.currentTimeMillis(); }
    }

    static final class ReadsNanoTime {
        long now() { return System.nanoTime(); }
    }

    static final class ReadsInstant {
        Object now() { return java.time.Instant.now(); }
    }

    static final class Sleeps {
        void pause() throws InterruptedException { Thread.sleep(1); }
    }

    static final class UnseededRandom {
        int draw() { return new Random().nextInt(); }
    }

    static final class MathRandom {
        double draw() { return Math.random(); }
    }

    static final class ThreadLocal {
        int draw() { return ThreadLocalRandom.current().nextInt(); }
    }

    static final class Clean {
        long later(long nowMicros, Random seeded) { return nowMicros + seeded.nextInt(10); }
    }

    @Test
    void shouldFireOnEveryBannedCall() {
        for (Class<?> offender : new Class<?>[] {ReadsWallClock.class, ReadsNanoTime.class, ReadsInstant.class,
                Sleeps.class, UnseededRandom.class, MathRandom.class, ThreadLocal.class}) {
            assertThat(DeterminismRules.evaluate(offender).hasViolation())
                    .as("the check must fire on %s", offender.getSimpleName())
                    .isTrue();
        }
    }

    @Test
    void shouldPassCodeThatTakesTimeAndRandomnessAsArguments() {
        assertThat(DeterminismRules.evaluate(Clean.class).hasViolation()).isFalse();
    }
}
