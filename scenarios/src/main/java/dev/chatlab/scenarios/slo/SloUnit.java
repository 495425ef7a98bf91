package dev.chatlab.scenarios.slo;

import dev.chatlab.scenarios.Durations;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * What an SLO's metric counts, how its bound is written and how a measured value reads. Values
 * are kept in the summary's own units: microseconds for times, a plain number for fractions and
 * counts, events per second for rates.
 */
public enum SloUnit {
    /** A time, bound written as a duration ({@code 200ms}); kept in microseconds. */
    TIME("us", "a duration such as 200ms or 1.5s"),
    /** A fraction from 0 to 1 ({@code 0.999}). */
    FRACTION("fraction", "a fraction from 0 to 1 such as 0.999"),
    /** A whole count ({@code 0}). */
    COUNT("count", "a whole number such as 0"),
    /** Events per second ({@code 5000/s}). */
    RATE("per_second", "a rate such as 5000/s");

    private final String word;
    private final String expected;

    SloUnit(String word, String expected) {
        this.word = word;
        this.expected = expected;
    }

    /** The unit's name in summary.json and verdict.json. */
    public String word() {
        return word;
    }

    /** How a bound of this unit is written, for error messages. */
    public String expected() {
        return expected;
    }

    /** Parses a bound; throws IllegalArgumentException saying what was expected. */
    double parseBound(String text) {
        String t = text.trim();
        try {
            return switch (this) {
                case TIME -> Durations.parseMicros(t);
                case FRACTION -> {
                    double f = Double.parseDouble(t);
                    if (!(f >= 0 && f <= 1)) {
                        throw new NumberFormatException();
                    }
                    yield f;
                }
                case COUNT -> Long.parseLong(t);
                case RATE -> {
                    if (!t.endsWith("/s")) {
                        throw new NumberFormatException();
                    }
                    double r = Double.parseDouble(t.substring(0, t.length() - 2).trim());
                    if (!(r >= 0) || Double.isInfinite(r)) {
                        throw new NumberFormatException();
                    }
                    yield r;
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected " + expected + ", got '" + t + "'");
        }
    }

    /** A value of this unit as a person reads it: {@code 193.9ms}, {@code 0.9995}, {@code 12}, {@code 2375/s}. */
    public String format(double value) {
        return switch (this) {
            case TIME -> time(value);
            case FRACTION -> plain(value, 6);
            case COUNT -> String.valueOf(Math.round(value));
            case RATE -> plain(value, 1) + "/s";
        };
    }

    private static String time(double micros) {
        if (Math.abs(micros) >= 1_000_000) {
            return plain(micros / 1_000_000, 3) + "s";
        }
        if (Math.abs(micros) >= 1_000) {
            return plain(micros / 1_000, 1) + "ms";
        }
        return plain(micros, 0) + "us";
    }

    private static String plain(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString().toLowerCase(Locale.ROOT);
    }
}
