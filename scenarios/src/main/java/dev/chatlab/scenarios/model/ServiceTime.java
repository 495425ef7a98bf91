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
     * The measured distribution itself: 21 quantiles at 0%, 5%, ..., 100%, sampled by the inverse
     * CDF with linear interpolation between neighbours.
     */
    record Empirical(List<Double> quantilesUs) implements ServiceTime {
        public static final int POINTS = 21;

        public Empirical {
            quantilesUs = List.copyOf(quantilesUs);
            if (quantilesUs.size() != POINTS) {
                throw new IllegalArgumentException("expected " + POINTS + " quantiles, got " + quantilesUs.size());
            }
            for (int i = 0; i < POINTS; i++) {
                if (!(quantilesUs.get(i) >= 0) || (i > 0 && quantilesUs.get(i) < quantilesUs.get(i - 1))) {
                    throw new IllegalArgumentException("quantiles must be 0 or more and never decrease");
                }
            }
        }

        @Override
        public long sampleMicros(RandomStream random) {
            double at = random.nextDouble() * (POINTS - 1);
            int low = (int) at;
            if (low >= POINTS - 1) {
                return Math.round(quantilesUs.get(POINTS - 1));
            }
            double a = quantilesUs.get(low);
            return Math.round(a + (quantilesUs.get(low + 1) - a) * (at - low));
        }

        /** Each of the 20 segments between neighbouring quantiles holds 5% of the samples, spread evenly. */
        @Override
        public double meanMicros() {
            double sum = 0;
            for (int i = 0; i < POINTS - 1; i++) {
                sum += (quantilesUs.get(i) + quantilesUs.get(i + 1)) / 2;
            }
            return sum / (POINTS - 1);
        }

        @Override
        public Map<String, Object> words() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dist", "empirical");
            out.put("quantiles_us", quantilesUs);
            return out;
        }
    }
}
