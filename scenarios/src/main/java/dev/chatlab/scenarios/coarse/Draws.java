package dev.chatlab.scenarios.coarse;

import dev.chatlab.sim.random.RandomStream;

/**
 * The few continuous draws the coarse model makes, computed with {@link StrictMath} so that a seed
 * gives the same numbers on every JVM and at every JIT tier.
 */
final class Draws {

    private Draws() {
    }

    /** Log-normal with this median and log-space spread: {@code median * e^(sigma * N(0,1))}. */
    static double logNormal(RandomStream random, double median, double sigma) {
        if (sigma == 0) {
            return median;
        }
        return median * StrictMath.exp(sigma * gaussian(random));
    }

    /** Standard normal by Box-Muller (one of the pair; the other is dropped to keep the stream stateless). */
    static double gaussian(RandomStream random) {
        double u1 = random.nextDoubleNonZero();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** Exponential with this mean. */
    static double exponential(RandomStream random, double mean) {
        return -mean * StrictMath.log(random.nextDoubleNonZero());
    }
}
