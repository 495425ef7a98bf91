package dev.chatlab.experiments.calibration;

import org.apache.commons.math3.distribution.LogNormalDistribution;

import java.util.Arrays;

/**
 * A service time's measured distribution, fitted two ways: a log-normal by maximum likelihood
 * (mu and sigma of the logarithms; the median is e^mu) and the empirical quantiles at 0%, 5%, ...,
 * 100% (sampled by inverse CDF with linear interpolation, as the model format says). Each fit
 * carries its Kolmogorov-Smirnov D against the measured values: the largest distance between the
 * fitted CDF and the measured one.
 *
 * <pre>{@code
 * ServiceTimeFit f = ServiceTimeFit.of(new double[] {80, 120, 400}, new long[] {10, 30, 2});   // value (us), count
 * f.medianUs(); f.sigma(); f.ksLognormal(); f.quantilesUs();
 * }</pre>
 *
 * @param samples     how many values were measured
 * @param meanUs      their mean
 * @param medianUs    the log-normal's median, e^mu
 * @param sigma       the log-normal's sigma (log-space spread)
 * @param ksLognormal KS D of the log-normal against the values
 * @param quantilesUs the 21 empirical quantiles
 * @param ksEmpirical KS D of the interpolated quantiles against the values
 */
public record ServiceTimeFit(long samples, double meanUs, double medianUs, double sigma, double ksLognormal,
                             double[] quantilesUs, double ksEmpirical) {

    /** Quantiles at 0%, 5%, ..., 100%. */
    public static final int QUANTILES = 21;
    /**
     * A log-normal is written when its D is at most this; beyond it the empirical quantiles describe
     * the measurements better than any two numbers (a tail, two modes).
     */
    public static final double LOGNORMAL_KS_MAX = 0.05;

    /** Whether the model file should say log-normal rather than empirical. */
    public boolean lognormalFits() {
        return ksLognormal <= LOGNORMAL_KS_MAX;
    }

    /**
     * Fits values (microseconds, each positive) seen {@code counts[i]} times each, as a histogram
     * gives them; IllegalArgumentException when nothing was measured.
     */
    public static ServiceTimeFit of(double[] valuesUs, long[] counts) {
        if (valuesUs.length != counts.length) {
            throw new IllegalArgumentException("one count per value");
        }
        Integer[] order = new Integer[valuesUs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(valuesUs[a], valuesUs[b]));
        double[] x = new double[valuesUs.length];
        long[] c = new long[valuesUs.length];
        long n = 0;
        double sum = 0;
        double logSum = 0;
        for (int i = 0; i < order.length; i++) {
            x[i] = valuesUs[order[i]];
            c[i] = counts[order[i]];
            if (!(x[i] > 0) || c[i] < 0) {
                throw new IllegalArgumentException("values must be positive and counts not negative, got " + x[i] + " x" + c[i]);
            }
            n += c[i];
            sum += x[i] * c[i];
            logSum += Math.log(x[i]) * c[i];
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing was measured");
        }
        double mu = logSum / n;
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.log(x[i]) - mu;
            squares += d * d * c[i];
        }
        // A single repeated value has no spread; the distribution still needs a positive shape.
        double sigma = Math.max(1e-6, Math.sqrt(squares / n));
        LogNormalDistribution lognormal = new LogNormalDistribution(null, mu, sigma);
        double[] quantiles = quantiles(x, c, n);
        double ksLognormal = ks(x, c, n, lognormal::cumulativeProbability);
        double ksEmpirical = ks(x, c, n, v -> interpolatedCdf(quantiles, v));
        return new ServiceTimeFit(n, sum / n, Math.exp(mu), sigma, ksLognormal, quantiles, ksEmpirical);
    }

    /** The smallest value whose share of the measurements at or below it reaches each 5%. */
    private static double[] quantiles(double[] x, long[] c, long n) {
        double[] out = new double[QUANTILES];
        int i = 0;
        long below = 0;
        for (int q = 0; q < QUANTILES; q++) {
            double want = (double) q / (QUANTILES - 1) * n;
            while (i < x.length - 1 && below + c[i] < want) {
                below += c[i];
                i++;
            }
            out[q] = x[i];
        }
        out[0] = x[0];
        out[QUANTILES - 1] = x[x.length - 1];
        return out;
    }

    /** The CDF of sampling the quantiles by inverse CDF with linear interpolation between them. */
    static double interpolatedCdf(double[] q, double v) {
        if (v < q[0]) {
            return 0;
        }
        if (v >= q[q.length - 1]) {
            return 1;
        }
        double step = 1.0 / (q.length - 1);
        // The last segment that starts at or below v: equal quantiles make a step, not a slope.
        int k = 0;
        while (k < q.length - 2 && q[k + 1] <= v) {
            k++;
        }
        double width = q[k + 1] - q[k];
        return k * step + (width > 0 ? (v - q[k]) / width * step : step);
    }

    /** Kolmogorov-Smirnov D: at each measured value, the CDF against the share just below and at it. */
    private static double ks(double[] x, long[] c, long n, java.util.function.DoubleUnaryOperator cdf) {
        double d = 0;
        long below = 0;
        for (int i = 0; i < x.length; i++) {
            double f = cdf.applyAsDouble(x[i]);
            double before = (double) below / n;
            below += c[i];
            double at = (double) below / n;
            d = Math.max(d, Math.max(Math.abs(f - before), Math.abs(f - at)));
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceTimeFit f && samples == f.samples && meanUs == f.meanUs && medianUs == f.medianUs
                && sigma == f.sigma && ksLognormal == f.ksLognormal && Arrays.equals(quantilesUs, f.quantilesUs)
                && ksEmpirical == f.ksEmpirical;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(samples) * 31 + Arrays.hashCode(quantilesUs);
    }

    @Override
    public String toString() {
        return "ServiceTimeFit[samples=" + samples + ", median_us=" + medianUs + ", sigma=" + sigma + ", ks=" + ksLognormal + "]";
    }
}
