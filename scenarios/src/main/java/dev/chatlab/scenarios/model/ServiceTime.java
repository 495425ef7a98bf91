package dev.chatlab.scenarios.model;

import dev.chatlab.sim.random.RandomStream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long one piece of work takes, in microseconds: the {@code <dist>} of a model file
 * (docs/simulator.md, "Service times"). Samples come from a stream the caller owns, so a run
 * stays replayable.
 *
 * <pre>{@code
 * ServiceTime connect = new ServiceTime.LogNormal(150, 0.5);
 * long micros = connect.sampleMicros(random.stream("costs"));
 * }</pre>
 */
public sealed interface ServiceTime {

    /** A sample stays below this (about 11.6 days), so a wild tail cannot overflow virtual time. */
    double SAMPLE_MAX_MICROS = 1e12;

    long sampleMicros(RandomStream random);

    /** The mean of the samples: what a sampled run's stand-in work for the unsimulated messages costs. */
    double meanMicros();

    /** The file's words for it, for the run's settings and reports. */
    Map<String, Object> words();

    /** Always {@code us}; draws nothing. */
    record Fixed(long us) implements ServiceTime {
        public Fixed {
            if (us < 0) {
                throw new IllegalArgumentException("a fixed service time must not be negative: " + us);
            }
        }

        @Override
        public long sampleMicros(RandomStream random) {
            return us;
        }

        @Override
        public double meanMicros() {
            return us;
        }

        @Override
        public Map<String, Object> words() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dist", "fixed");
            out.put("us", us);
            return out;
        }
    }

    /** {@code exp(ln(medianUs) + sigma * N(0,1))}: half the samples below the median. */
    record LogNormal(double medianUs, double sigma) implements ServiceTime {
        public LogNormal {
            if (!(medianUs > 0) || !(sigma >= 0)) {
                throw new IllegalArgumentException("a log-normal needs a median above 0 and a sigma of 0 or more");
            }
        }

        @Override
        public long sampleMicros(RandomStream random) {
            return Math.round(Math.min(random.nextLogNormal(StrictMath.log(medianUs), sigma), SAMPLE_MAX_MICROS));
        }

        @Override
        public double meanMicros() {
            return medianUs * StrictMath.exp(sigma * sigma / 2);
        }

        @Override
        public Map<String, Object> words() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dist", "lognormal");
            out.put("median_us", medianUs);
            out.put("sigma", sigma);
            return out;
        }
    }

    /**
     * The measured distribution itself: 21 quantiles at 0%, 5%, ..., 100%, and optionally the tail
     * between the last two at 96, 97, 98, 99, 99.5 and 99.9% ({@code tail_us}), sampled by the
     * inverse CDF with linear interpolation between neighbouring points. Without the tail, the 5%
     * above the 95th percentile would be spread evenly up to the maximum: one slow outlier among
     * 16,000 appends then made every twentieth sample slow and a p99 of ten times the measured one.
     */
    final class Empirical implements ServiceTime {
        public static final int POINTS = 21;
        /** The percentiles {@code tail_us} holds, in order. */
        public static final List<Double> TAIL_PERCENTS = List.of(96.0, 97.0, 98.0, 99.0, 99.5, 99.9);

        private final List<Double> quantilesUs;
        private final List<Double> tailUs;
        /** Every point's probability and value, in order: the 20 quantiles below the maximum, the tail, the maximum. */
        private final double[] p;
        private final double[] v;

        public Empirical(List<Double> quantilesUs) {
            this(quantilesUs, List.of());
        }

        public Empirical(List<Double> quantilesUs, List<Double> tailUs) {
            this.quantilesUs = List.copyOf(quantilesUs);
            this.tailUs = List.copyOf(tailUs);
            if (quantilesUs.size() != POINTS) {
                throw new IllegalArgumentException("expected " + POINTS + " quantiles, got " + quantilesUs.size());
            }
            if (!tailUs.isEmpty() && tailUs.size() != TAIL_PERCENTS.size()) {
                throw new IllegalArgumentException("expected a tail of " + TAIL_PERCENTS.size() + " quantiles "
                        + TAIL_PERCENTS + ", got " + tailUs.size());
            }
            int n = POINTS + tailUs.size();
            p = new double[n];
            v = new double[n];
            for (int i = 0; i < POINTS - 1; i++) {
                p[i] = i / (double) (POINTS - 1);
                v[i] = quantilesUs.get(i);
            }
            for (int i = 0; i < tailUs.size(); i++) {
                p[POINTS - 1 + i] = TAIL_PERCENTS.get(i) / 100;
                v[POINTS - 1 + i] = tailUs.get(i);
            }
            p[n - 1] = 1;
            v[n - 1] = quantilesUs.get(POINTS - 1);
            for (int i = 0; i < n; i++) {
                if (!(v[i] >= 0) || (i > 0 && v[i] < v[i - 1])) {
                    throw new IllegalArgumentException("quantiles must be 0 or more and never decrease"
                            + (tailUs.isEmpty() ? "" : ", the tail's from the 95th percentile to the maximum"));
                }
            }
        }

        public List<Double> quantilesUs() {
            return quantilesUs;
        }

        public List<Double> tailUs() {
            return tailUs;
        }

        @Override
        public long sampleMicros(RandomStream random) {
            double u = random.nextDouble();
            if (tailUs.isEmpty() || u < 0.95) {
                double at = u * (POINTS - 1);
                int low = (int) at;
                if (low >= POINTS - 1) {
                    return Math.round(quantilesUs.get(POINTS - 1));
                }
                double a = quantilesUs.get(low);
                return Math.round(a + (quantilesUs.get(low + 1) - a) * (at - low));
            }
            int k = POINTS - 2;
            while (k < p.length - 2 && p[k + 1] <= u) {
                k++;
            }
            return Math.round(v[k] + (v[k + 1] - v[k]) * (u - p[k]) / (p[k + 1] - p[k]));
        }

        /** Each segment between neighbouring points holds its share of the samples, spread evenly. */
        @Override
        public double meanMicros() {
            if (tailUs.isEmpty()) {
                // Twenty segments of 5% each, summed as they always were: a coarse run's stand-in work stays byte for byte.
                double sum = 0;
                for (int i = 0; i < POINTS - 1; i++) {
                    sum += (quantilesUs.get(i) + quantilesUs.get(i + 1)) / 2;
                }
                return sum / (POINTS - 1);
            }
            double sum = 0;
            for (int i = 0; i < p.length - 1; i++) {
                sum += (p[i + 1] - p[i]) * (v[i] + v[i + 1]) / 2;
            }
            return sum;
        }

        /** The share of samples at or below {@code us}: this distribution's CDF, for a goodness-of-fit test. */
        public double cdf(double us) {
            if (us < v[0]) {
                return 0;
            }
            if (us >= v[v.length - 1]) {
                return 1;
            }
            // The last segment that starts at or below the value: equal points make a step, not a slope.
            int k = 0;
            while (k < v.length - 2 && v[k + 1] <= us) {
                k++;
            }
            double width = v[k + 1] - v[k];
            return p[k] + (width > 0 ? (us - v[k]) / width : 1) * (p[k + 1] - p[k]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Empirical e && quantilesUs.equals(e.quantilesUs) && tailUs.equals(e.tailUs);
        }

        @Override
        public int hashCode() {
            return quantilesUs.hashCode() * 31 + tailUs.hashCode();
        }

        @Override
        public String toString() {
            return "Empirical[quantilesUs=" + quantilesUs + ", tailUs=" + tailUs + "]";
        }

        @Override
        public Map<String, Object> words() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dist", "empirical");
            out.put("quantiles_us", quantilesUs);
            if (!tailUs.isEmpty()) {
                out.put("tail_us", tailUs);
            }
            return out;
        }
    }
}
