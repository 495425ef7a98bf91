package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;

/**
 * A node's own wall clock: virtual time seen through an offset (skew) and a rate error (drift,
 * in parts per million). Code that runs "on" a node reads {@link #nowMicros()}; the simulator
 * keeps true time in {@link Simulation#now()}.
 *
 * <pre>{@code
 * NodeClock clock = nodes.clock(3);
 * clock.configure(-2_000, 50.0);      // 2 ms behind, gaining 50 us per second (setup, not a fault)
 * clock.injectSkew(+500_000);          // at run time: jump to 0.5 s ahead (counted as clock-skew)
 * long local = clock.nowMicros();
 * }</pre>
 *
 * <p>The local time is {@code anchorLocal + e + floor(e * driftPpm / 1e6)} where {@code e} is the
 * true time elapsed since the anchor; changing skew or drift re-anchors at the current instant,
 * so drift changes never make the clock jump and skew changes are the only jumps (backwards
 * included, as after an NTP step).
 */
public final class NodeClock {

    private static final double PPM = 1_000_000.0;

    private final Simulation sim;
    private final FaultCounters faults;
    private long anchorTrue;
    private long anchorLocal;
    private double driftPpm;

    public NodeClock(Simulation sim, FaultCounters faults) {
        this.sim = sim;
        this.faults = faults;
        this.anchorTrue = sim.now();
        this.anchorLocal = sim.now();
    }

    /** The node's reading of the current instant. */
    public long nowMicros() {
        return localAt(sim.now());
    }

    /** What this clock reads at true time {@code trueMicros}, under the current skew and drift. */
    public long localAt(long trueMicros) {
        long elapsed = trueMicros - anchorTrue;
        return anchorLocal + elapsed + (long) Math.floor(elapsed * driftPpm / PPM);
    }

    /**
     * The earliest true time at which this clock reads at least {@code localMicros}, never before
     * now: when a timer set for local time {@code localMicros} fires.
     */
    public long trueTimeAt(long localMicros) {
        long now = sim.now();
        if (localAt(now) >= localMicros) {
            return now;
        }
        long t = anchorTrue + (long) Math.ceil((localMicros - anchorLocal) / (1 + driftPpm / PPM));
        // The estimate is within a microsecond or two; settle it exactly against localAt.
        while (t > now && localAt(t - 1) >= localMicros) {
            t--;
        }
        while (localAt(t) < localMicros) {
            t++;
        }
        return Math.max(t, now);
    }

    /** Local minus true time, now. */
    public long offsetMicros() {
        return nowMicros() - sim.now();
    }

    public double driftPpm() {
        return driftPpm;
    }

    /** Sets offset and drift as initial conditions of a scenario: not counted as a fault. */
    public void configure(long offsetMicros, double newDriftPpm) {
        checkDrift(newDriftPpm);
        anchorTrue = sim.now();
        anchorLocal = anchorTrue + offsetMicros;
        driftPpm = newDriftPpm;
    }

    /** Fault: the clock now reads {@code offsetMicros} away from true time (a step). Counted as clock-skew. */
    public void injectSkew(long offsetMicros) {
        faults.record(FaultCounters.CLOCK_SKEW);
        anchorTrue = sim.now();
        anchorLocal = anchorTrue + offsetMicros;
    }

    /** Fault: the clock steps by {@code deltaMicros} from its current reading. Counted as clock-skew. */
    public void jump(long deltaMicros) {
        faults.record(FaultCounters.CLOCK_SKEW);
        long now = sim.now();
        anchorLocal = localAt(now) + deltaMicros;
        anchorTrue = now;
    }

    /** Fault: the clock's rate changes to {@code newDriftPpm}, continuously. Counted as clock-drift. */
    public void injectDrift(double newDriftPpm) {
        checkDrift(newDriftPpm);
        faults.record(FaultCounters.CLOCK_DRIFT);
        long now = sim.now();
        anchorLocal = localAt(now);
        anchorTrue = now;
        driftPpm = newDriftPpm;
    }

    private static void checkDrift(double ppm) {
        if (!(ppm > -PPM / 2 && ppm < PPM)) {
            throw new IllegalArgumentException("drift must be in (-500000, 1000000) ppm: " + ppm);
        }
    }
}
