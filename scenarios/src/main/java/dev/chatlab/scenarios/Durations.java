package dev.chatlab.scenarios;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as scenario files write them: a number and a unit, {@code 250ms}, {@code 2s},
 * {@code 1.5s}, {@code 3m}, {@code 800us}, optionally negative for a clock skew ({@code -5s}).
 * Kept as whole microseconds, the simulator's unit of time.
 *
 * <pre>{@code
 * long micros = Durations.parseMicros("1.5s");   // 1_500_000
 * String text = Durations.format(1_500_000);     // "1.5s"
 * }</pre>
 */
public final class Durations {

    /** What an error message says a duration should look like. */
    public static final String EXPECTED = "a duration such as 500ms, 2s, 1.5s or 3m (units: us, ms, s, m)";

    private static final Pattern SHAPE = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m)");

    private Durations() {
    }

    /** Parses {@code text}; throws IllegalArgumentException when it is not a duration or is finer than a microsecond. */
    public static long parseMicros(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
        }
        BigDecimal unit = switch (m.group(2)) {
            case "us" -> BigDecimal.ONE;
            case "ms" -> BigDecimal.valueOf(1_000);
            case "s" -> BigDecimal.valueOf(1_000_000);
            default -> BigDecimal.valueOf(60_000_000);
        };
        BigDecimal micros = new BigDecimal(m.group(1)).multiply(unit);
        try {
            return micros.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of microseconds", e);
        }
    }

    /** Exact text for {@code micros}: whole or tenths of seconds from 1s up, else ms, else us. */
    public static String format(long micros) {
        if (micros % 1_000 != 0) {
            return micros + "us";
        }
        if (micros % 1_000_000 == 0) {
            return micros / 1_000_000 + "s";
        }
        if (Math.abs(micros) >= 1_000_000 && micros % 100_000 == 0) {
            return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString() + "s";
        }
        return micros / 1_000 + "ms";
    }
}
