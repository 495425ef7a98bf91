package dev.chatlab.scenarios.slo;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service-level objective as a scenario file writes it: a metric, a comparison and a bound,
 * {@code p99(send_to_deliver) < 200ms}, {@code delivered_fraction >= 0.999},
 * {@code peak(connect_rate) < 5000/s}. It is judged from a run's summary, so every engine and
 * level is judged the same way; a metric the run did not measure fails, it never passes.
 *
 * <pre>{@code
 * Slo slo = Slo.parse("p99(send_to_ack) < 1s");          // IllegalArgumentException says what was expected
 * SloResult r = slo.judge(summaryTree);                    // r.met(), r.measured(), r.message()
 * }</pre>
 *
 * @param text   as written, trimmed
 * @param metric what is measured
 * @param op     how the measured value must compare with the bound
 * @param bound  in the metric's unit (microseconds for a time)
 */
public record Slo(String text, SloMetric metric, Op op, double bound) {

    private static final Pattern SHAPE = Pattern.compile("\\s*(.*?)\\s*(<=|>=|<|>)\\s*(.*?)\\s*");

    /** The comparisons an SLO may make. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double measured, double bound) {
            return switch (this) {
                case LT -> measured < bound;
                case LE -> measured <= bound;
                case GT -> measured > bound;
                case GE -> measured >= bound;
            };
        }

        static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Parses {@code text}; the exception's message says what was expected (and lists the metrics on an unknown one). */
    public static Slo parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected an objective such as 'p99(send_to_deliver) < 200ms', got nothing");
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches() || m.group(1).isEmpty() || m.group(3).isEmpty()) {
            throw new IllegalArgumentException("expected METRIC OP BOUND with OP one of <, <=, >, >= (such as"
                    + " 'p99(send_to_deliver) < 200ms'), got '" + text.trim() + "'");
        }
        SloMetric metric = SloMetric.named(m.group(1));
        if (metric == null && m.group(1).replace(" ", "").endsWith(",per_node)")) {
            throw new IllegalArgumentException("'" + m.group(1) + "': per-node peaks are not measured by any engine yet;"
                    + " peak(connect_rate) is the whole cluster's");
        }
        if (metric == null) {
            throw new IllegalArgumentException("unknown metric '" + m.group(1) + "' in '" + text.trim()
                    + "'; expected one of: " + SloMetric.names());
        }
        double bound;
        try {
            bound = metric.unit().parseBound(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the bound of " + metric.name() + ": " + e.getMessage());
        }
        return new Slo(text.trim(), metric, Op.of(m.group(2)), bound);
    }

    /** Judges this objective from a run's summary (its JSON tree). */
    public SloResult judge(JsonNode summary) {
        SloMetric.Measure measure = metric.read(summary);
        if (!measure.measured()) {
            return new SloResult(this, null, false, measure.notMeasured());
        }
        boolean met = op.holds(measure.value(), bound);
        return new SloResult(this, measure.value(), met, null);
    }

    /** The bound as written in the metric's unit ({@code 200ms}, {@code 0.999}). */
    public String boundText() {
        return metric.unit().format(bound);
    }
}
