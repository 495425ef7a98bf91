package dev.chatlab.experiments;

import dev.chatlab.scenarios.ScenarioException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The search of {@code chatlab capacity}: over whole values {@code lo..hi}, the smallest value that
 * passes (a server count: fewer fail, more pass) or, with {@code maximize}, the largest (a rate:
 * lower passes, higher fails). It gallops from {@code lo} in doubling steps until the outcome
 * flips, then bisects the last step, so an answer near {@code lo} costs few runs and any answer
 * costs about {@code 2 log2(hi - lo)} probes. It assumes the outcome flips once over the range;
 * every probe is kept, so a curve that does not can be seen.
 *
 * <pre>{@code
 * CapacitySearch.Result r = CapacitySearch.run(1, 1000, false, nodes -> nodes >= 37);   // r.answer() == 37
 * }</pre>
 */
public final class CapacitySearch {

    /** Whether a value meets every objective; may run for a long time, fail to write, or find the value refused. */
    public interface Probe {
        boolean passes(long value) throws IOException, ScenarioException;
    }

    /**
     * @param answer the value found, or null when none in the range passes (or, maximizing, {@code lo} fails)
     * @param probed every value tried, in the order tried, with its outcome
     */
    public record Result(Long answer, List<long[]> probed) {
    }

    private CapacitySearch() {
    }

    public static Result run(long lo, long hi, boolean maximize, Probe probe) throws IOException, ScenarioException {
        if (lo > hi) {
            throw new IllegalArgumentException("lo " + lo + " > hi " + hi);
        }
        List<long[]> probed = new ArrayList<>();
        // "good" is the side the answer is on: passing when minimizing, passing when maximizing too,
        // but the gallop goes from lo towards hi and looks for the first value on the other side.
        boolean firstPasses = test(probe, lo, probed);
        if (!maximize && firstPasses) {
            return new Result(lo, probed);
        }
        if (maximize && !firstPasses) {
            return new Result(null, probed);
        }
        long inside = lo;       // the last value on lo's side (fails when minimizing, passes when maximizing)
        long outside = -1;      // the first value found on the other side
        boolean found = false;
        for (long step = 1; inside < hi; step *= 2) {
            long v = Math.min(hi, lo + step);
            boolean passes = test(probe, v, probed);
            if (passes != firstPasses) {
                outside = v;
                found = true;
                break;
            }
            inside = v;
        }
        if (!found) {
            // Every value kept lo's outcome: minimizing, none passes; maximizing, all do.
            return new Result(maximize ? hi : null, probed);
        }
        while (outside - inside > 1) {
            long mid = inside + (outside - inside) / 2;
            if (test(probe, mid, probed) == firstPasses) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        return new Result(maximize ? inside : outside, probed);
    }

    private static boolean test(Probe probe, long v, List<long[]> probed) throws IOException, ScenarioException {
        boolean passes = probe.passes(v);
        probed.add(new long[] {v, passes ? 1 : 0});
        return passes;
    }

    /** The most probes a search of {@code lo..hi} makes: for a progress line's total. */
    public static int probesMax(long lo, long hi) {
        long span = Math.max(1, hi - lo);
        int log = 64 - Long.numberOfLeadingZeros(span);
        return 1 + 2 * log;
    }
}
