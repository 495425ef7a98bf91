package dev.chatlab.experiments.calibration;

import dev.chatlab.scenarios.model.ServiceTime;
import org.apache.commons.math3.distribution.LogNormalDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A service time's measured distribution, fitted two ways: a log-normal by maximum likelihood
 * (mu and sigma of the logarithms; the median is e^mu) and the empirical quantiles at 0%, 5%, ...,
 * 100% with the tail at 96, 97, 98, 99, 99.5 and 99.9% (sampled by inverse CDF with linear
 * interpolation, as the model format says: {@link ServiceTime.Empirical}). Each fit
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
 * @param tailUs      the quantiles at {@link ServiceTime.Empirical#TAIL_PERCENTS}
 * @param ksEmpirical KS D of the interpolated quantiles against the values
 */
public record ServiceTimeFit(long samples, double meanUs, double medianUs, double sigma, double ksLognormal,
                             double[] quantilesUs, double[] tailUs, double ksEmpirical) {

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
        double[] tail = new double[ServiceTime.Empirical.TAIL_PERCENTS.size()];
        for (int t = 0; t < tail.length; t++) {
            tail[t] = quantile(x, c, ServiceTime.Empirical.TAIL_PERCENTS.get(t) / 100 * n);
        }
        ServiceTime.Empirical empirical = new ServiceTime.Empirical(boxed(quantiles), boxed(tail));
        double ksLognormal = ks(x, c, n, lognormal::cumulativeProbability);
        double ksEmpirical = ks(x, c, n, empirical::cdf);
        return new ServiceTimeFit(n, sum / n, Math.exp(mu), sigma, ksLognormal, quantiles, tail, ksEmpirical);
    }

    /** The smallest value whose share of the measurements at or below it reaches each 5%. */
    private static double[] quantiles(double[] x, long[] c, long n) {
        double[] out = new double[QUANTILES];
        for (int q = 0; q < QUANTILES; q++) {
            out[q] = quantile(x, c, (double) q / (QUANTILES - 1) * n);
        }
        out[0] = x[0];
        out[QUANTILES - 1] = x[x.length - 1];
        return out;
    }

    /** The smallest value with at least {@code want} measurements at or below it. */
    private static double quantile(double[] x, long[] c, double want) {
        // 99.9% of 10,000 is 9,990.000000000002 in doubles: a count that reaches 9,990 reaches it.
        double reach = want - 1e-9 * Math.max(1, want);
        int i = 0;
        long below = 0;
        while (i < x.length - 1 && below + c[i] < reach) {
            below += c[i];
            i++;
        }
        return x[i];
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
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
                && Arrays.equals(tailUs, f.tailUs)
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
