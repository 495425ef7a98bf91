package dev.chatlab.sim.bench;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

/** {@link Phold} on the baseline {@link HeapSimulation}: same model, same draws, same checksum. */
public final class HeapPhold implements EventHandler {

    private final HeapSimulation sim;
    private final RandomStream random;
    private final int lps;
    private final long lookaheadMicros;
    private final double meanMicros;
    private final int[] received;
    private long checksum;

    public HeapPhold(int lps, int pendingEvents, double mean, double lookahead, long seed) {
        this.sim = new HeapSimulation(pendingEvents + 1024);
        this.sim.setHandler(this);
        this.random = RandomStreams.root(seed).stream("phold");
        this.lps = lps;
        this.lookaheadMicros = Math.round(lookahead * Phold.MICROS_PER_UNIT);
        this.meanMicros = mean * Phold.MICROS_PER_UNIT;
        this.received = new int[lps];
        for (int i = 0; i < pendingEvents; i++) {
            sim.schedule(delay(), i % lps, 0, 0L);
        }
    }

    public static HeapPhold standard(long seed) {
        return new HeapPhold(Phold.STANDARD_LPS, Phold.STANDARD_PENDING, Phold.STANDARD_MEAN, Phold.STANDARD_LOOKAHEAD, seed);
    }

    @Override
    public void onEvent(int target, int kind, long payload) {
        received[target]++;
        checksum = checksum * 31 + target;
        sim.schedule(sim.now() + delay(), random.nextInt(lps), 0, 0L);
    }

    private long delay() {
        return lookaheadMicros + (long) (random.nextExponential() * meanMicros);
    }

    public long run(long events) {
        return sim.runEvents(events);
    }

    public long eventsProcessed() {
        return sim.eventsProcessed();
    }

    public int pendingEvents() {
        return sim.pendingEvents();
    }

    public long checksum() {
        return checksum ^ sim.now();
    }
}
