package dev.chatlab.sim.bench;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

/**
 * PHOLD on the kernel: the standard synthetic benchmark for event-queue throughput. {@code lps}
 * logical processes share {@code pendingEvents} events; each event, at a uniformly random LP,
 * schedules one new event after a delay of {@code lookahead + Exp(mean)} time units, so the
 * number of pending events stays constant. One time unit is {@link #MICROS_PER_UNIT}.
 *
 * <pre>{@code
 * Phold phold = Phold.standard(seed);       // 100,000 LPs, 1,000,000 pending events
 * phold.run(20_000_000);                    // the caller times this
 * }</pre>
 *
 * <p>{@link HeapPhold} runs the same model on the baseline queue and reaches the same
 * {@link #checksum()}: a check that both dispatch events in the same order.
 */
public final class Phold implements EventHandler {

    public static final long MICROS_PER_UNIT = 1_000_000L;
    public static final int STANDARD_LPS = 100_000;
    public static final int STANDARD_PENDING = 1_000_000;
    public static final double STANDARD_MEAN = 1.0;
    public static final double STANDARD_LOOKAHEAD = 0.1;

    private final Simulation sim;
    private final int handler;
    private final RandomStream random;
    private final int lps;
    private final long lookaheadMicros;
    private final double meanMicros;
    private final int[] received;
    private long checksum;

    public Phold(int lps, int pendingEvents, double mean, double lookahead, long seed) {
        this.sim = new Simulation(pendingEvents + 1024);
        this.handler = sim.register(this);
        this.random = RandomStreams.root(seed).stream("phold");
        this.lps = lps;
        this.lookaheadMicros = Math.round(lookahead * MICROS_PER_UNIT);
        this.meanMicros = mean * MICROS_PER_UNIT;
        this.received = new int[lps];
        for (int i = 0; i < pendingEvents; i++) {
            sim.schedule(delay(), handler, i % lps, 0, 0L);
        }
    }

    public static Phold standard(long seed) {
        return new Phold(STANDARD_LPS, STANDARD_PENDING, STANDARD_MEAN, STANDARD_LOOKAHEAD, seed);
    }

    @Override
    public void onEvent(int target, int kind, long payload) {
        received[target]++;
        checksum = checksum * 31 + target;
        sim.after(delay(), handler, random.nextInt(lps), 0, 0L);
    }

    private long delay() {
        return lookaheadMicros + (long) (random.nextExponential() * meanMicros);
    }

    /** Processes {@code events} events; returns how many ran. */
    public long run(long events) {
        return sim.runEvents(events);
    }

    public long eventsProcessed() {
        return sim.eventsProcessed();
    }

    public int pendingEvents() {
        return sim.pendingEvents();
    }

    public long nowMicros() {
        return sim.now();
    }

    /** A digest of the order events ran in (their targets) and where time ended. */
    public long checksum() {
        return checksum ^ sim.now();
    }
}
