package dev.chatlab.sim;

/**
 * Units of virtual time. The kernel counts microseconds in a {@code long}; these helpers keep
 * conversions out of call sites: {@code sim.after(SimTime.millis(250), ...)}.
 */
public final class SimTime {

    public static final long MICROS_PER_MILLI = 1_000L;
    public static final long MICROS_PER_SECOND = 1_000_000L;
    public static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;

    private SimTime() {
    }

    public static long millis(long millis) {
        return Math.multiplyExact(millis, MICROS_PER_MILLI);
    }

    public static long seconds(long seconds) {
        return Math.multiplyExact(seconds, MICROS_PER_SECOND);
    }

    /** Fractional seconds, rounded to the nearest microsecond. */
    public static long seconds(double seconds) {
        return Math.round(seconds * MICROS_PER_SECOND);
    }

    public static long minutes(long minutes) {
        return Math.multiplyExact(minutes, MICROS_PER_MINUTE);
    }

    public static double toSeconds(long micros) {
        return micros / (double) MICROS_PER_SECOND;
    }

    /** A readable rendering such as {@code 12.000345s}, for logs and reports. */
    public static String format(long micros) {
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        return String.format("%s%d.%06ds", sign, abs / MICROS_PER_SECOND, abs % MICROS_PER_SECOND);
    }
}
