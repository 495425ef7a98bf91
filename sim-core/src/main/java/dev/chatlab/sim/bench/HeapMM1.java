package dev.chatlab.sim.bench;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

/** {@link MM1} on the baseline {@link HeapSimulation}: same model, same draws, same checksum. */
public final class HeapMM1 implements EventHandler {

    private static final int ARRIVAL = 0;
    private static final int DEPARTURE = 1;

    private final HeapSimulation sim;
    private final RandomStream random;
    private final double interarrivalMicros;
    private final double serviceMicros;
    private int inSystem;
    private long served;
    private long area;
    private long lastChange;

    public HeapMM1(double arrivalRate, double serviceRate, long seed) {
        this.sim = new HeapSimulation(64);
        this.sim.setHandler(this);
        this.random = RandomStreams.root(seed).stream("mm1");
        this.interarrivalMicros = Phold.MICROS_PER_UNIT / arrivalRate;
        this.serviceMicros = Phold.MICROS_PER_UNIT / serviceRate;
        sim.schedule(draw(interarrivalMicros), 0, ARRIVAL, 0L);
    }

    public static HeapMM1 standard(long seed) {
        return new HeapMM1(MM1.STANDARD_ARRIVAL_RATE, MM1.STANDARD_SERVICE_RATE, seed);
    }

    @Override
    public void onEvent(int target, int kind, long payload) {
        long now = sim.now();
        area += inSystem * (now - lastChange);
        lastChange = now;
        if (kind == ARRIVAL) {
            if (++inSystem == 1) {
                sim.schedule(now + draw(serviceMicros), 0, DEPARTURE, 0L);
            }
            sim.schedule(now + draw(interarrivalMicros), 0, ARRIVAL, 0L);
        } else {
            served++;
            if (--inSystem > 0) {
                sim.schedule(now + draw(serviceMicros), 0, DEPARTURE, 0L);
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

    public double meanInSystem() {
        return lastChange == 0 ? 0 : area / (double) lastChange;
    }

    public long checksum() {
        return served * 31 + area;
    }
}
