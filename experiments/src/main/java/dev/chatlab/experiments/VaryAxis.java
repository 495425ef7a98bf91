package dev.chatlab.experiments;

import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.ScenarioException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --vary} flag: a scenario key and the values it takes, either listed
 * ({@code client.reconnect=immediate,jitter,backoff}; commas inside {@code [..]} or {@code {..}}
 * belong to a YAML value) or as an evenly spaced range ({@code client.jitter_window=0s..30s/7}:
 * 7 values from 0 s to 30 s; durations or plain numbers). An axis whose values are all durations
 * or all numbers is numeric, and a comparison draws each metric against it.
 *
 * <pre>{@code
 * VaryAxis a = VaryAxis.parse("client.jitter_window=0s..30s/7");   // ScenarioException names the flag
 * a.values();      // [0s, 5s, 10s, 15s, 20s, 25s, 30s], as --set values
 * a.numeric();     // [0, 5, 10, ...] in seconds (durations) or the numbers themselves
 * }</pre>
 *
 * @param key      the scenario key, as {@code --set} takes it
 * @param written  the flag's argument as written, for messages
 * @param values   each value as YAML text, in order
 * @param numeric  each value as a number (durations in seconds), or null when the axis is not numeric
 * @param duration whether the numeric values are durations
 * @param source   how an error names the axis: {@code --vary KEY=...}, or an experiment file's line and key
 */
public record VaryAxis(String key, String written, List<String> values, double[] numeric, boolean duration, String source) {

    /** The most values one axis may take: a typo such as {@code /700} should not start 700 runs per seed. */
    public static final int VALUES_MAX = 100;

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[\\d+])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[\\d+])*)*");
    private static final Pattern RANGE = Pattern.compile("(.+?)\\.\\.(.+?)/(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    static final String EXPECTED = "expected KEY=V1,V2[,...] or KEY=LO..HI/N (such as client.reconnect=immediate,jitter"
            + " or client.jitter_window=0s..30s/7)";

    /** Parses one {@code --vary} flag's argument; errors name the flag. */
    public static VaryAxis parse(String argument) throws ScenarioException {
        String where = "--vary " + argument;
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            throw new ScenarioException(where, 0, 0, EXPECTED);
        }
        String key = argument.substring(0, eq).trim();
        if (!KEY.matcher(key).matches()) {
            throw new ScenarioException(where, 0, 0, "expected KEY as a scenario key by its path, such as"
                    + " client.reconnect or faults[0].at; got '" + key + "'");
        }
        return of(key, argument.substring(eq + 1).trim(), argument, where);
    }

    /**
     * The axis of {@code key} over {@code text} (a list or a range); {@code where} names it in errors
     * ({@code herd.yaml:5:3: vary.client.reconnect}).
     */
    public static VaryAxis of(String key, String text, String written, String where) throws ScenarioException {
        if (text.isEmpty()) {
            throw new ScenarioException(where, 0, 0, "expected values after '=': " + EXPECTED);
        }
        Matcher range = RANGE.matcher(text);
        return listed(key, range.matches() ? range(range, where) : list(text, where), written, where);
    }

    /** The axis of {@code key} over values already listed (an experiment file's YAML list). */
    public static VaryAxis listed(String key, List<String> values, String written, String where) throws ScenarioException {
        if (values.isEmpty()) {
            throw new ScenarioException(where, 0, 0, "expected at least one value");
        }
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                throw new ScenarioException(where, 0, 0, "the value '" + v + "' is given twice");
            }
        }
        double[] numeric = numbers(values, true);
        boolean duration = numeric != null;
        if (numeric == null) {
            numeric = numbers(values, false);
        }
        return new VaryAxis(key, written, List.copyOf(values), numeric, duration, where);
    }

    /** Whether a metric can be drawn against this axis. */
    public boolean isNumeric() {
        return numeric != null;
    }

    private static List<String> range(Matcher m, String where) throws ScenarioException {
        String lo = m.group(1).trim();
        String hi = m.group(2).trim();
        int count;
        try {
            count = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            count = Integer.MAX_VALUE;
        }
        if (count < 2 || count > VALUES_MAX) {
            throw new ScenarioException(where, 0, 0, "a range takes from 2 to " + VALUES_MAX + " values (the N of LO..HI/N),"
                    + " got " + m.group(3));
        }
        List<String> out = new ArrayList<>();
        if (NUMBER.matcher(lo).matches() && NUMBER.matcher(hi).matches()) {
            BigDecimal from = new BigDecimal(lo);
            BigDecimal to = new BigDecimal(hi);
            requireRising(from.compareTo(to) < 0, lo, hi, where);
            BigDecimal step = to.subtract(from).divide(BigDecimal.valueOf(count - 1), 12, RoundingMode.HALF_EVEN);
            for (int i = 0; i < count; i++) {
                BigDecimal v = i == count - 1 ? to : from.add(step.multiply(BigDecimal.valueOf(i)));
                out.add(plain(v));
            }
            return out;
        }
        long from;
        long to;
        try {
            from = Durations.parseMicros(lo);
            to = Durations.parseMicros(hi);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(where, 0, 0, "LO and HI of a range are both plain numbers or both durations"
                    + " (" + Durations.EXPECTED + "); got '" + lo + "' and '" + hi + "'");
        }
        requireRising(from < to, lo, hi, where);
        for (int i = 0; i < count; i++) {
            // Rounded to whole microseconds, the simulator's unit: 0s..1s/4 gives 333333us.
            long v = from + Math.round((double) (to - from) * i / (count - 1));
            out.add(Durations.format(v));
        }
        return out;
    }

    private static void requireRising(boolean rising, String lo, String hi, String where) throws ScenarioException {
        if (!rising) {
            throw new ScenarioException(where, 0, 0, "a range goes from a lower to a higher value, got " + lo + ".." + hi);
        }
    }

    private static String plain(BigDecimal v) {
        BigDecimal stripped = v.setScale(9, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    /** Splits at the commas outside brackets and braces, so that {@code [n1, n2],[n3]} is two values. */
    private static List<String> list(String text, String where) throws ScenarioException {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth <= 0) {
                String value = text.substring(start, i).trim();
                if (value.isEmpty()) {
                    throw new ScenarioException(where, 0, 0, "an empty value in the list (two commas in a row, or one at an end)");
                }
                out.add(value);
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new ScenarioException(where, 0, 0, "a bracket or brace is not closed");
        }
        return out;
    }

    /** Every value as seconds (durations) or as a number; null when one is not. */
    private static double[] numbers(List<String> values, boolean durations) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            String v = values.get(i);
            if (durations) {
                try {
                    out[i] = Durations.parseMicros(v) / 1e6;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            } else if (NUMBER.matcher(v).matches()) {
                out[i] = Double.parseDouble(v);
            } else {
                return null;
            }
        }
        return out;
    }
}
