package dev.chatlab.sim.random;

import org.apache.commons.math3.distribution.RealDistribution;

/**
 * A distribution of non-negative delays in microseconds, drawn from a stream the caller owns:
 * link latency, jitter, disk service time, think time.
 *
 * <pre>{@code
 * DelayDistribution wan = DelayDistribution.logNormal(40_000, 0.3)          // median 40 ms
 *         .plus(DelayDistribution.uniform(0, 2_000))                          // up to 2 ms jitter
 *         .cappedAt(1_000_000);
 * long delay = wan.sampleMicros(random.stream("wan"));
 * }</pre>
 *
 * <p>Samples are rounded to whole microseconds and never negative.
 */
@FunctionalInterface
public interface DelayDistribution {

    /** Largest sample of the heavy-tailed factories (about 11.6 days): keeps a tail from overflowing virtual time. */
    double MAX_SAMPLE_MICROS = 1e12;

    long sampleMicros(RandomStream random);

    /** Always {@code micros}; draws nothing. */
    static DelayDistribution constant(long micros) {
        requireNonNegative(micros, "constant delay");
        return random -> micros;
    }

    /** Uniform in [lowMicros, highMicros]. */
    static DelayDistribution uniform(long lowMicros, long highMicros) {
        requireNonNegative(lowMicros, "low");
        if (highMicros < lowMicros) {
            throw new IllegalArgumentException("empty range [" + lowMicros + ", " + highMicros + "]");
        }
        long span = highMicros - lowMicros + 1;
        return random -> lowMicros + random.nextLong(span);
    }

    static DelayDistribution exponential(double meanMicros) {
        requirePositive(meanMicros, "mean");
        return random -> Math.round(random.nextExponential(meanMicros));
    }

    /** Log-normal with the given median and log-space standard deviation {@code sigma}: a typical network latency. */
    static DelayDistribution logNormal(double medianMicros, double sigma) {
        requirePositive(medianMicros, "median");
        double mu = StrictMath.log(medianMicros);
        return random -> Math.round(random.nextLogNormal(mu, sigma));
    }

    /** Pareto with minimum {@code scaleMicros} and tail index {@code shape}: heavy tails (cap it). */
    static DelayDistribution pareto(double scaleMicros, double shape) {
        requirePositive(scaleMicros, "scale");
        requirePositive(shape, "shape");
        return random -> Math.round(Math.min(random.nextPareto(scaleMicros, shape), MAX_SAMPLE_MICROS));
    }

    /** Normal, negative draws clamped to 0. */
    static DelayDistribution normal(double meanMicros, double sdMicros) {
        return random -> Math.max(0, Math.round(random.nextGaussian(meanMicros, sdMicros)));
    }

    /**
     * Samples of a Commons Math distribution (in microseconds), clamped at 0. The distribution
     * draws from its own generator, which must come from {@link Distributions} or
     * {@link RandomStream#asCommonsMath()} to keep the run replayable; the stream passed to
     * {@link #sampleMicros} is not used.
     */
    static DelayDistribution of(RealDistribution distribution) {
        return random -> Math.max(0, Math.round(Math.min(distribution.sample(), MAX_SAMPLE_MICROS)));
    }

    /** The sum of a sample of this and a sample of {@code other} (this one drawn first). */
    default DelayDistribution plus(DelayDistribution other) {
        return random -> {
            long first = sampleMicros(random);
            return first + other.sampleMicros(random);
        };
    }

    default DelayDistribution times(double factor) {
        requireNonNegative(factor, "factor");
        return random -> Math.round(sampleMicros(random) * factor);
    }

    default DelayDistribution cappedAt(long maxMicros) {
        return random -> Math.min(sampleMicros(random), maxMicros);
    }

    private static void requirePositive(double value, String what) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }

    private static void requireNonNegative(double value, String what) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
    }
}
