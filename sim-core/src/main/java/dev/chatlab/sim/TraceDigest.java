package dev.chatlab.sim;

/**
 * Folds every dispatched event (time, handler, target, kind, payload) into a 64-bit digest, so two
 * runs can be compared in one number: same seed and same code must give the same digest.
 * Attachments are not folded in (they are objects); a component that wants them to count folds
 * its own view of them with {@link #mix(long)}.
 *
 * <pre>{@code
 * TraceDigest digest = new TraceDigest();
 * sim.setTracer(digest);
 * sim.run();
 * System.out.println("trace=" + digest.hex() + " events=" + digest.events());
 * }</pre>
 */
public final class TraceDigest implements EventTracer {

    private long state = 0x9E37_79B9_7F4A_7C15L;
    private long events;

    @Override
    public void onEvent(long timeMicros, int handler, int target, int kind, long payload) {
        events++;
        mix(timeMicros);
        mix(((long) handler << 32) ^ (target & 0xFFFF_FFFFL));
        mix(((long) kind << 32) ^ payload);
    }

    /** Folds one more value into the digest. */
    public void mix(long value) {
        state = finish((state ^ value) * 0xBF58_476D_1CE4_E5B9L + 0x94D0_49BB_1331_11EBL);
    }

    public long value() {
        return finish(state ^ events);
    }

    public String hex() {
        return String.format("%016x", value());
    }

    public long events() {
        return events;
    }

    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
