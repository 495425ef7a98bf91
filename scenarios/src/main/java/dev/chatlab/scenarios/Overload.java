package dev.chatlab.scenarios;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How overloaded a run was, from what it measured: sends left without an answer, the wait for
 * acks, the backlog of deliveries after the quiesce, and (real runs) how busy the machine's cores
 * were. A saturated run reads as saturated, so that seconds of latency are not taken for the
 * system's behaviour at that rate.
 *
 * <pre>{@code
 * Map<String, Object> overload = Overload.of(counts, latency, convergence, cpu);   // cpu: Map.of() in the simulator
 * out.println(overload.get("line"));   // "overloaded: 21% of sends indeterminate (7789 of 37659); send->ack p50 5.2 s"
 * }</pre>
 */
public final class Overload {

    /** A run with more than this share of its sends left indeterminate could not keep up. */
    static final double INDETERMINATE_SHARE = 0.01;
    /** Half the acks taking longer than this is a queue, not a round trip. */
    static final long SLOW_ACK_P50_MICROS = 1_000_000;
    /**
     * More than this share of the devices' frames answered with an error is a cluster pushing back
     * (rate limits, owners that cannot keep up): its latency is the devices' retries, not its work.
     */
    static final double REFUSED_SHARE = 0.05;

    private Overload() {
    }

    /**
     * @param counts      the run's counts ({@code messages}, {@code indeterminate})
     * @param latency     the run's latency summaries ({@code send_to_ack} with {@code p50_us}, {@code p99_us})
     * @param convergence the {@code convergence} section ({@code peak_owed_deliveries}), or empty
     * @param cpu         the {@code cpu} section of a real run ({@code cores_busy}, {@code cores_available},
     *                    {@code saturated}), or empty
     */
    public static Map<String, Object> of(Map<String, Object> counts, Map<String, Object> latency,
                                         Map<String, Object> convergence, Map<String, Object> cpu) {
        return of(counts, latency, convergence, cpu, 0, 0);
    }

    /**
     * As above, with the frames a real run's devices sent and how many of them the nodes answered
     * with an error.
     */
    public static Map<String, Object> of(Map<String, Object> counts, Map<String, Object> latency,
                                         Map<String, Object> convergence, Map<String, Object> cpu,
                                         long framesSent, long framesRefused) {
        long messages = number(counts.get("messages"));
        long indeterminate = number(counts.get("indeterminate"));
        Map<?, ?> ack = latency.get("send_to_ack") instanceof Map<?, ?> m ? m : Map.of();
        long p50 = number(ack.get("p50_us"));
        long p99 = number(ack.get("p99_us"));
        double share = messages == 0 ? 0 : (double) indeterminate / messages;
        List<String> signs = new ArrayList<>();
        if (share > INDETERMINATE_SHARE) {
            signs.add(String.format(Locale.ROOT, "%.0f%% of sends indeterminate (%d of %d)", share * 100, indeterminate,
                    messages));
        }
        if (p50 > SLOW_ACK_P50_MICROS) {
            signs.add("send->ack p50 " + ms(p50));
        }
        double refused = framesSent == 0 ? 0 : (double) framesRefused / framesSent;
        if (refused > REFUSED_SHARE) {
            signs.add(String.format(Locale.ROOT, "%.0f%% of the devices' frames answered with an error (%d of %d:"
                    + " rate limits, owners that could not keep up)", refused * 100, framesRefused, framesSent));
        }
        if (Boolean.TRUE.equals(cpu.get("saturated"))) {
            Object others = cpu.get("others_cores_busy");
            double machine = ((Number) cpu.getOrDefault("machine_cores_busy", cpu.get("cores_busy"))).doubleValue();
            signs.add(String.format(Locale.ROOT, "%.1f of %s cores busy", machine, cpu.get("cores_available"))
                    + (others instanceof Number n && n.doubleValue() >= 0.05
                    ? String.format(Locale.ROOT, " (%.1f of them by other work on the machine)", n.doubleValue()) : ""));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("overloaded", !signs.isEmpty());
        out.put("signs", signs);
        out.put("messages", messages);
        out.put("indeterminate", indeterminate);
        out.put("indeterminate_share", Math.round(share * 10_000) / 10_000.0);
        out.put("send_to_ack_p50_us", p50);
        out.put("send_to_ack_p99_us", p99);
        out.put("peak_owed_deliveries", number(convergence.get("peak_owed_deliveries")));
        if (framesSent > 0) {
            out.put("frames_sent", framesSent);
            out.put("frames_refused", framesRefused);
        }
        if (cpu.get("cores_busy") != null) {
            out.put("cores_busy", cpu.get("cores_busy"));
            out.put("cores_available", cpu.get("cores_available"));
        }
        out.put("line", signs.isEmpty()
                ? String.format(Locale.ROOT, "not overloaded: %d of %d sends indeterminate, send->ack p50 %s p99 %s%s",
                        indeterminate, messages, ms(p50), ms(p99),
                        cpu.get("cores_busy") == null ? "" : ", " + cpu.get("cores_busy") + " of "
                                + cpu.get("cores_available") + " cores busy")
                : "OVERLOADED: " + String.join("; ", signs) + " (its latencies are those of a saturated system)");
        return out;
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
