package dev.chatlab.sim.random;

import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.ParetoDistribution;
import org.apache.commons.math3.distribution.ZipfDistribution;

/**
 * Commons Math distributions that draw from a seeded {@link RandomStream}. (Their constructors
 * without a generator seed one from the clock, which would break replay: always come here.)
 *
 * <pre>{@code
 * RandomStreams random = RandomStreams.root(seed);
 * ZipfDistribution chatPopularity = Distributions.zipf(random.stream("chats"), 10_000, 1.1);
 * int chat = chatPopularity.sample() - 1;                    // 1-based ranks
 * LogNormalDistribution groupSize = Distributions.logNormal(random.stream("groups"), Math.log(8), 1.0);
 * }</pre>
 */
public final class Distributions {

    private Distributions() {
    }

    public static ExponentialDistribution exponential(RandomStream stream, double mean) {
        return new ExponentialDistribution(stream.asCommonsMath(), mean);
    }

    /** Log-normal with {@code scale} = mean of the log (the median is {@code exp(scale)}) and {@code shape} = its sd. */
    public static LogNormalDistribution logNormal(RandomStream stream, double scale, double shape) {
        return new LogNormalDistribution(stream.asCommonsMath(), scale, shape);
    }

    /** Pareto with minimum {@code scale} and tail index {@code shape}. */
    public static ParetoDistribution pareto(RandomStream stream, double scale, double shape) {
        return new ParetoDistribution(stream.asCommonsMath(), scale, shape);
    }

    /** Zipf over ranks 1..{@code elements}. */
    public static ZipfDistribution zipf(RandomStream stream, int elements, double exponent) {
        return new ZipfDistribution(stream.asCommonsMath(), elements, exponent);
    }

    public static NormalDistribution normal(RandomStream stream, double mean, double sd) {
        return new NormalDistribution(stream.asCommonsMath(), mean, sd);
    }
}
