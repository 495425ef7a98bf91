package dev.chatlab.sim.random;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A {@link RandomStream} seen as a Commons Math {@link RandomGenerator}, so Commons Math
 * distributions draw from a seeded, named stream instead of a generator seeded from the clock.
 * {@link Distributions} builds the common ones.
 *
 * <pre>{@code
 * RealDistribution think = new WeibullDistribution(random.stream("think").asCommonsMath(), 1.5, 2.0);
 * }</pre>
 */
public final class CommonsMathRandom implements RandomGenerator {

    private final RandomStream stream;

    CommonsMathRandom(RandomStream stream) {
        this.stream = stream;
    }

    public RandomStream stream() {
        return stream;
    }

    @Override
    public void setSeed(int seed) {
        stream.reseed(seed);
    }

    @Override
    public void setSeed(int[] seed) {
        long folded = 0x2545_F491_4F6C_DD1DL;
        for (int value : seed) {
            folded = SplitMix.mix(folded ^ value);
        }
        stream.reseed(folded);
    }

    @Override
    public void setSeed(long seed) {
        stream.reseed(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            long word = stream.nextLong();
            for (int k = 0; k < 8 && i < bytes.length; k++) {
                bytes[i++] = (byte) word;
                word >>>= 8;
            }
        }
    }

    @Override
    public int nextInt() {
        return stream.nextInt();
    }

    @Override
    public int nextInt(int n) {
        return stream.nextInt(n);
    }

    @Override
    public long nextLong() {
        return stream.nextLong();
    }

    @Override
    public boolean nextBoolean() {
        return stream.nextBoolean();
    }

    @Override
    public float nextFloat() {
        return stream.nextFloat();
    }

    @Override
    public double nextDouble() {
        return stream.nextDouble();
    }

    @Override
    public double nextGaussian() {
        return stream.nextGaussian();
    }
}
