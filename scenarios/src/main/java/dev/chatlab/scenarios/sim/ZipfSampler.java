package dev.chatlab.scenarios.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks {@code 1..n} with probability proportional to {@code 1 / rank^exponent}: rank 1 most
 * often, a long tail of rare ones. The cumulative weights are computed once (with StrictMath, so
 * that every JVM gets the same bits) and each draw is one uniform number and a binary search.
 *
 * <pre>{@code
 * ZipfSampler talkers = new ZipfSampler(1_000, 1.1);
 * int rank = talkers.sample(random);   // 1 is the heaviest talker
 * }</pre>
 */
public final class ZipfSampler {

    private final double[] cumulative;

    public ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf needs at least one rank, got " + n);
        }
        if (!(exponent >= 0)) {
            throw new IllegalArgumentException("a Zipf exponent is 0 or more, got " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1.0 / StrictMath.pow(rank, exponent);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        cumulative[n - 1] = 1.0;   // rounding must not leave a gap above the last rank
    }

    /** Number of ranks. */
    int size() {
        return cumulative.length;
    }

    /** A rank from 1 to {@link #size()}. */
    public int sample(SplittableRandom random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        // Not found: the insertion point is the first rank whose cumulative weight exceeds u.
        int index = i >= 0 ? i + 1 : -i - 1;
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
