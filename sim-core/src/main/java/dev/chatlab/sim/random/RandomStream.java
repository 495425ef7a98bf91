package dev.chatlab.sim.random;

import java.util.random.RandomGenerator;

/**
 * One seeded stream of pseudo-random numbers: xoshiro256** (Blackman and Vigna), about a
 * nanosecond per draw, with its state seeded by SplitMix64. Get streams from
 * {@link RandomStreams} by name rather than constructing them, so each component draws from its
 * own stream and adding draws in one component never shifts another's:
 *
 * <pre>{@code
 * RandomStream net = RandomStreams.root(seed).stream("network");
 * long delay = (long) net.nextExponential(250.0);   // mean 250 us, inverse transform
 * int peer = net.nextInt(nodes);                     // uniform in [0, nodes)
 * }</pre>
 *
 * <p>Every draw is bit-identical on every JVM and CPU: the transforms use IEEE basic operations,
 * {@link DeterministicMath#ln} and {@code StrictMath}, never the platform-dependent {@code Math.log}
 * or {@code Math.exp}.
 *
 * <p>Also a {@link RandomGenerator} for JDK APIs, and {@link #asCommonsMath()} adapts it to
 * Commons Math distributions. Not thread-safe: one stream belongs to one component.
 */
public final class RandomStream implements RandomGenerator {

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    /** A stream seeded directly; prefer {@link RandomStreams#stream(String)}. */
    public RandomStream(long seed) {
        reseed(seed);
    }

    /** Resets the state as if constructed with {@code seed}. */
    public void reseed(long seed) {
        long x = seed;
        x += 0x9E37_79B9_7F4A_7C15L;
        s0 = SplitMix.mix(x);
        x += 0x9E37_79B9_7F4A_7C15L;
        s1 = SplitMix.mix(x);
        x += 0x9E37_79B9_7F4A_7C15L;
        s2 = SplitMix.mix(x);
        x += 0x9E37_79B9_7F4A_7C15L;
        s3 = SplitMix.mix(x);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1; // the one state xoshiro cannot leave
        }
        hasSpareGaussian = false;
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [origin, bound). */
    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("empty range [" + origin + ", " + bound + ")");
        }
        long span = (long) bound - origin;
        if (span <= Integer.MAX_VALUE) {
            return origin + nextInt((int) span);
        }
        return (int) (origin + nextLong(span));
    }

    /** Uniform in [0, bound). */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in (0, 1]: safe to take the logarithm of. */
    public double nextDoubleNonZero() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** True with probability {@code p}. */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /** Exponential with mean 1, by inverse transform: {@code -ln(u)}, with the reproducible {@link DeterministicMath#ln}. */
    @Override
    public double nextExponential() {
        return -DeterministicMath.ln(nextDoubleNonZero());
    }

    /** Exponential with the given mean, by inverse transform: {@code -ln(u) * mean}. */
    public double nextExponential(double mean) {
        return -DeterministicMath.ln(nextDoubleNonZero()) * mean;
    }

    /** Standard normal, by Marsaglia's polar method (the second value of each pair is kept for the next call). */
    @Override
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * DeterministicMath.ln(s) / s); // sqrt is exactly rounded: reproducible
        spareGaussian = v * factor;
        hasSpareGaussian = true;
        return u * factor;
    }

    @Override
    public double nextGaussian(double mean, double stddev) {
        return mean + stddev * nextGaussian();
    }

    /** Log-normal: {@code exp(mu + sigma * N(0,1))}; its median is {@code exp(mu)}. */
    public double nextLogNormal(double mu, double sigma) {
        return StrictMath.exp(mu + sigma * nextGaussian());
    }

    /** Pareto (type I) with minimum {@code scale} and tail index {@code shape}. */
    public double nextPareto(double scale, double shape) {
        return scale * StrictMath.exp(-DeterministicMath.ln(nextDoubleNonZero()) / shape);
    }

    /** Uniform in [low, high). */
    public double nextUniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** A new stream seeded from this one's next output: deterministic, and independent for practical purposes. */
    public RandomStream split() {
        return new RandomStream(SplitMix.mix(nextLong() ^ 0x6A09_E667_F3BC_C909L));
    }

    /** This stream as a Commons Math {@code RandomGenerator}; draws through it advance this stream. */
    public CommonsMathRandom asCommonsMath() {
        return new CommonsMathRandom(this);
    }
}
