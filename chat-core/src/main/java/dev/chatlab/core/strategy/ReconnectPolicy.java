package dev.chatlab.core.strategy;

import java.util.random.RandomGenerator;

/**
 * How long a device waits before its next connection attempt. The choice shapes the
 * thundering herd after a server dies: immediate retries arrive together, jittered ones spread.
 */
public sealed interface ReconnectPolicy {

    /** The delay before attempt {@code attempt} (1 for the first retry after a loss). */
    long delayMicros(int attempt, long previousDelayMicros, RandomGenerator random);

    /** Retries at once (after a small fixed pause so a dead port is not spun on). */
    record Immediate(long pauseMicros) implements ReconnectPolicy {
        @Override
        public long delayMicros(int attempt, long previousDelayMicros, RandomGenerator random) {
            return pauseMicros;
        }
    }

    /** Waits a uniform random time in [0, window). */
    record UniformJitter(long windowMicros) implements ReconnectPolicy {
        @Override
        public long delayMicros(int attempt, long previousDelayMicros, RandomGenerator random) {
            return windowMicros <= 0 ? 0 : random.nextLong(windowMicros);
        }
    }

    /** Exponential backoff with decorrelated jitter: uniform in [base, 3 x previous], capped. */
    record DecorrelatedBackoff(long baseMicros, long capMicros) implements ReconnectPolicy {
        @Override
        public long delayMicros(int attempt, long previousDelayMicros, RandomGenerator random) {
            long upper = Math.max(baseMicros + 1, Math.min(capMicros, Math.max(baseMicros, previousDelayMicros) * 3));
            return Math.min(capMicros, baseMicros + random.nextLong(upper - baseMicros));
        }
    }
}
