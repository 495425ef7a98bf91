package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.history.EventCounts;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.SendLatencies;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a real run did, read from its history as it is recorded (on the fleet's event loop):
 * counts, send-to-ack and send-to-deliver latency in HdrHistograms (from the first send of a
 * message, so a retried message shows its whole wait), connections per second (the reconnect
 * curve) and, for each device that lost its connection, how long until it was connected again.
 *
 * <pre>{@code
 * RunRecorder stats = new RunRecorder();
 * Fleet fleet = Fleet.start(settings, HistorySink.all(writer, checker, stats));
 * Map<String, Object> latency = stats.latency();
 * }</pre>
 */
public final class RunRecorder implements HistorySink {

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Histogram sendToAck = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram sendToDeliver = new Histogram(HIGHEST_MICROS, 3);
    private final SendLatencies latencies = new SendLatencies((kind, at, micros) ->
            (kind == SendLatencies.Kind.SEND_TO_ACK ? sendToAck : sendToDeliver).recordValue(micros));
    private final Histogram reconnectGap = new Histogram(HIGHEST_MICROS, 3);
    private final Map<String, Long> lostAt = new HashMap<>();
    private final TreeMap<Long, Long> connectsPerSecond = new TreeMap<>();
    private final TreeMap<Long, Long> disconnectsPerSecond = new TreeMap<>();
    private final EventCounts counts = new EventCounts();

    @Override
    public synchronized void accept(HistoryEvent event) {
        counts.accept(event);
        latencies.accept(event);
        if (event instanceof HistoryEvent.Connect c) {
            connectsPerSecond.merge(c.t() / 1_000_000, 1L, Long::sum);
            Long lost = lostAt.remove(c.user() + "/" + c.device());
            if (lost != null) {
                reconnectGap.recordValue(Math.max(0, c.t() - lost));
            }
        } else if (event instanceof HistoryEvent.Disconnect d) {
            disconnectsPerSecond.merge(d.t() / 1_000_000, 1L, Long::sum);
            if (!ClientDevice.WENT_OFFLINE.equals(d.reason())) {
                lostAt.put(d.user() + "/" + d.device(), d.t());
            }
        }
    }

    public synchronized long events() {
        return counts.events();
    }

    public synchronized long acks() {
        return counts.acks();
    }

    public synchronized long delivers() {
        return counts.delivers();
    }

    public synchronized long connects() {
        return counts.connects();
    }

    public synchronized Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("history_events", counts.events());
        out.put("messages", latencies.messages());
        out.put("sends", counts.sends());
        out.put("acks", counts.acks());
        out.put("fails", counts.fails());
        out.put("indeterminate", latencies.indeterminate());
        out.put("delivers", counts.delivers());
        out.put("reads", counts.reads());
        out.put("connects", counts.connects());
        out.put("disconnects", counts.disconnects());
        out.put("devices_never_reconnected", lostAt.size());
        return out;
    }

    public synchronized Map<String, Object> latency() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send_to_ack", summary(sendToAck));
        out.put("send_to_deliver", summary(sendToDeliver));
        return out;
    }

    /** Each second of the run with connects and disconnects in it: the thundering herd and how it settled. */
    public synchronized List<Map<String, Object>> reconnectCurve() {
        TreeMap<Long, long[]> seconds = new TreeMap<>();
        connectsPerSecond.forEach((s, n) -> seconds.computeIfAbsent(s, k -> new long[2])[0] = n);
        disconnectsPerSecond.forEach((s, n) -> seconds.computeIfAbsent(s, k -> new long[2])[1] = n);
        List<Map<String, Object>> curve = new ArrayList<>();
        seconds.forEach((s, n) -> {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("second", s);
            point.put("connects", n[0]);
            point.put("disconnects", n[1]);
            curve.add(point);
        });
        return curve;
    }

    /** How long devices that lost their connection took to be connected again. */
    public synchronized Map<String, Object> reconnectTime() {
        return summary(reconnectGap);
    }

    private static Map<String, Object> summary(Histogram h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", h.getTotalCount());
        out.put("p50_us", h.getValueAtPercentile(50));
        out.put("p99_us", h.getValueAtPercentile(99));
        out.put("p999_us", h.getValueAtPercentile(99.9));
        out.put("max_us", h.getMaxValue());
        return out;
    }
}
