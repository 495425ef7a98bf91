package dev.chatlab.experiments;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The statistics of a comparison: a mean with its Student-t confidence interval, and the paired
 * difference of two variants run on the same seeds (common random numbers) with a paired t-test.
 * Pairing is what makes a handful of seeds enough: each seed's own luck (which devices a kill hits)
 * cancels out of the difference.
 *
 * <pre>{@code
 * Stats.Interval ci = Stats.interval(new double[] {10, 12, 11}, 0.95);        // mean 11, half-width 2.48
 * Stats.Paired d = Stats.paired(baseline, variant, 0.95);                    // variant - baseline, seed by seed
 * double p = d.pValue();                                                     // two-sided; NaN under 2 pairs
 * }</pre>
 */
public final class Stats {

    /** The confidence of every interval chatlab reports. */
    public static final double CONFIDENCE = 0.95;

    private Stats() {
    }

    /**
     * A sample's mean and the interval around it; {@code halfWidth} is NaN when there are fewer than
     * two values (one run says nothing about the spread), 0 when every value is the same.
     */
    public record Interval(int n, double mean, double sd, double halfWidth) {
        public double low() {
            return mean - halfWidth;
        }

        public double high() {
            return mean + halfWidth;
        }

        /** Whether the half-width is known and at most {@code fraction} of the mean's size. */
        public boolean within(double fraction) {
            return !Double.isNaN(halfWidth) && halfWidth <= fraction * Math.abs(mean);
        }
    }

    /** A paired difference (other minus base, seed by seed): its interval and the paired t-test's two-sided p-value. */
    public record Paired(Interval difference, double pValue) {
    }

    /** Mean, standard deviation and the two-sided {@code confidence} interval {@code mean +- t(n-1) s / sqrt(n)}. */
    public static Interval interval(double[] values, double confidence) {
        int n = values.length;
        if (n == 0) {
            return new Interval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Interval(1, mean, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new Interval(n, mean, sd, t * sd / Math.sqrt(n));
    }

    /**
     * {@code other[i] - base[i]} for each pair, with its interval and p-value. When every difference
     * is the same the test has no spread to work with: p is 1 when they are all 0 (no difference
     * at all), else 0 (the same shift on every seed).
     */
    public static Paired paired(double[] base, double[] other, double confidence) {
        if (base.length != other.length) {
            throw new IllegalArgumentException("paired samples differ in size: " + base.length + " and " + other.length);
        }
        double[] d = new double[base.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = other[i] - base[i];
        }
        Interval diff = interval(d, confidence);
        double p;
        if (d.length < 2) {
            p = Double.NaN;
        } else if (diff.sd() == 0) {
            p = diff.mean() == 0 ? 1 : 0;
        } else {
            p = new TTest().pairedTTest(other, base);
        }
        return new Paired(diff, p);
    }
}
