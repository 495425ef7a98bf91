package dev.chatlab.sim.bench;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

/**
 * An M/M/1 queue on the kernel: Poisson arrivals, exponential service, one server. Few events
 * are ever pending, so it measures the per-event cost of the kernel rather than of its queue.
 * Time unit: {@link Phold#MICROS_PER_UNIT}. With arrival rate 0.9 and service rate 1.0 the mean
 * number in the system is 0.9 / 0.1 = 9, which {@link #meanInSystem()} approaches.
 *
 * <pre>{@code
 * MM1 queue = MM1.standard(seed);
 * queue.run(50_000_000);
 * queue.meanInSystem();   // ~9
 * }</pre>
 */
public final class MM1 implements EventHandler {

    public static final double STANDARD_ARRIVAL_RATE = 0.9;
    public static final double STANDARD_SERVICE_RATE = 1.0;

    private static final int ARRIVAL = 0;
    private static final int DEPARTURE = 1;

    private final Simulation sim;
    private final int handler;
    private final RandomStream random;
    private final double interarrivalMicros;
    private final double serviceMicros;
    private int inSystem;
    private long served;
    private long area;
    private long lastChange;

    public MM1(double arrivalRate, double serviceRate, long seed) {
        this.sim = new Simulation(64);
        this.handler = sim.register(this);
        this.random = RandomStreams.root(seed).stream("mm1");
        this.interarrivalMicros = Phold.MICROS_PER_UNIT / arrivalRate;
        this.serviceMicros = Phold.MICROS_PER_UNIT / serviceRate;
        sim.schedule(draw(interarrivalMicros), handler, 0, ARRIVAL, 0L);
    }

    public static MM1 standard(long seed) {
        return new MM1(STANDARD_ARRIVAL_RATE, STANDARD_SERVICE_RATE, seed);
    }

    @Override
    public void onEvent(int target, int kind, long payload) {
        long now = sim.now();
        area += inSystem * (now - lastChange);
        lastChange = now;
        if (kind == ARRIVAL) {
            if (++inSystem == 1) {
                sim.after(draw(serviceMicros), handler, 0, DEPARTURE, 0L);
            }
            sim.after(draw(interarrivalMicros), handler, 0, ARRIVAL, 0L);
        } else {
            served++;
            if (--inSystem > 0) {
                sim.after(draw(serviceMicros), handler, 0, DEPARTURE, 0L);
            }
        }
    }

    private long draw(double meanMicros) {
        return (long) (random.nextExponential() * meanMicros);
    }

    public long run(long events) {
        return sim.runEvents(events);
    }

    public long eventsProcessed() {
        return sim.eventsProcessed();
    }

    public long served() {
        return served;
    }

    /** Time-average number of customers in the system. */
    public double meanInSystem() {
        return lastChange == 0 ? 0 : area / (double) lastChange;
    }

    public long checksum() {
        return served * 31 + area;
    }
}
