package dev.chatlab.stats;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.history.EventCounts;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.SendLatencies;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Measures a run from its history as it is recorded (or from a recorded file), the same way
 * whichever engine produced it: counts, send to ack and send to deliver (from the message's first
 * {@code send}, so a retried message shows its whole wait), interval histograms over run time,
 * connections, reconnects, acks and deliveries per interval, how long a device that lost its
 * connection took to be back, and presence staleness. Every latency is an HdrHistogram.
 *
 * <pre>{@code
 * RunRecorder recorder = new RunRecorder();                  // 1 s intervals
 * HistorySink sink = HistorySink.all(writer, checker, recorder);
 * ... run ...
 * Map<String, Object> latency = recorder.latency();          // the summary's latency_us
 * RunMetrics metrics = recorder.finish();                    // for report.html and the .hlog files
 * }</pre>
 *
 * <p>Or from a recorded file: {@code RunMetrics m = RunRecorder.read(path, RunRecorder.DEFAULT_INTERVAL_MICROS)}.
 * Events must come ordered by {@code t}, as the history format requires. Not thread-safe. Memory
 * grows with the messages of the run (the first send of each, to measure its deliveries), the
 * devices and the intervals, not with the events: a run that keeps only a sample of its history
 * can still measure every message.
 */
public final class RunRecorder implements HistorySink {

    /** One second of run time per interval, unless asked otherwise. */
    public static final long DEFAULT_INTERVAL_MICROS = 1_000_000;
    /** Histograms keep three significant digits: values below 2048 us are exact, others within 0.1 %. */
    static final int SIGNIFICANT_DIGITS = 3;

    private record DeviceKey(String user, String device) {
    }

    /** When a user's true presence last changed, and how many of its devices hold a session. */
    private static final class UserPresence {
        int sessions;
        long changedAt;
    }

    /**
     * A whole-run histogram and the exact largest value: the histogram's own max is the top of the
     * value's bucket, and a summary's {@code max_us} says what really happened.
     */
    private static final class Latencies {
        final Histogram histogram = newHistogram();
        long max;

        void record(long micros) {
            histogram.recordValue(micros);
            max = Math.max(max, micros);
        }

        /**
         * {@code {count, p50_us, p99_us, p999_us, max_us}}, all 0 when nothing was recorded. A
         * percentile is the top of its value's bucket (within 0.1 %), never above the exact max.
         */
        Map<String, Object> summary() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", histogram.getTotalCount());
            out.put("p50_us", percentile(50));
            out.put("p99_us", percentile(99));
            out.put("p999_us", percentile(99.9));
            out.put("max_us", max);
            return out;
        }

        private long percentile(double percent) {
            return Math.min(histogram.getValueAtPercentile(percent), max);
        }
    }

    private final long intervalMicros;
    private final EventCounts counts = new EventCounts();
    private final SendLatencies latencies = new SendLatencies((kind, at, micros) -> measured(kind, micros));
    private final Set<DeviceKey> everConnected = new HashSet<>();
    private final Set<DeviceKey> connected = new HashSet<>();
    /** When each device lost its connection (not by going offline on purpose), until it connects again; looked up, never iterated. */
    private final Map<DeviceKey, Long> lostAt = new HashMap<>();
    private final Map<String, UserPresence> presence = new HashMap<>();
    private final Latencies totalAck = new Latencies();
    private final Latencies totalDeliver = new Latencies();
    /** Messages first sent at or after {@link #measuredFrom}, when a warm-up is left out. */
    private final Latencies warmAck = new Latencies();
    private final Latencies warmDeliver = new Latencies();
    private long measuredFrom;
    private final Latencies reconnectGap = new Latencies();
    /** The busiest second of connects, wherever it falls (counts.peak_connects_1s). */
    private final BusiestSecond connectPeak = new BusiestSecond();
    private final Histogram staleness = newHistogram();
    private final List<IntervalStats> intervals = new ArrayList<>();
    private long reconnects;

    /** The open interval: {@code [intervalStart, intervalStart + intervalMicros)}. */
    private long intervalStart;
    private Histogram ack = newHistogram();
    private Histogram deliver = newHistogram();
    private long intervalConnects;
    private long intervalDisconnects;
    private long intervalReconnects;
    private long intervalSends;
    private long intervalAcks;
    private long intervalDelivers;
    private long openMin;

    private long lastT;
    private boolean finished;

    public RunRecorder() {
        this(DEFAULT_INTERVAL_MICROS);
    }

    /** Intervals (and the time series of connects and disconnects) of {@code intervalMicros} each. */
    public RunRecorder(long intervalMicros) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("intervalMicros must be positive, was " + intervalMicros);
        }
        this.intervalMicros = intervalMicros;
    }

    /**
     * Leaves the warm-up out of {@link #latency()}: only messages first sent at or after
     * {@code fromMicros} count there; {@link #latencyWholeRun()} still counts every message.
     */
    public RunRecorder measuringFrom(long fromMicros) {
        if (fromMicros < 0) {
            throw new IllegalArgumentException("fromMicros must not be negative, was " + fromMicros);
        }
        this.measuredFrom = fromMicros;
        return this;
    }

    /** Streams a recorded history (plain or gzip) through a recorder. */
    public static RunMetrics read(Path history, long intervalMicros) throws IOException, HistoryFormatException {
        RunRecorder recorder = new RunRecorder(intervalMicros);
        try (HistoryReader in = HistoryReader.open(history)) {
            for (HistoryEvent e; (e = in.next()) != null; ) {
                recorder.accept(e);
            }
        }
        return recorder.finish();
    }

    static Histogram newHistogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    /**
     * This recorder as a sink that records under its own lock, for a history recorded on one
     * thread while another reads the figures (synchronized on the recorder) as it goes.
     */
    public HistorySink locked() {
        return event -> {
            synchronized (this) {
                accept(event);
            }
        };
    }

    @Override
    public void accept(HistoryEvent event) {
        if (finished) {
            throw new IllegalStateException("the recorder has finished");
        }
        long t = event.t();
        if (t < lastT) {
            throw new IllegalArgumentException("t goes backwards: " + t + " after " + lastT);
        }
        lastT = t;
        while (t >= intervalStart + intervalMicros) {
            closeInterval();
        }
        counts.accept(event);
        latencies.accept(event);
        if (event instanceof HistoryEvent.Send) {
            intervalSends++;
        } else if (event instanceof HistoryEvent.Ack) {
            intervalAcks++;
        } else if (event instanceof HistoryEvent.Deliver) {
            intervalDelivers++;
        } else if (event instanceof HistoryEvent.Connect c) {
            onConnect(new DeviceKey(c.user(), c.device()), t);
        } else if (event instanceof HistoryEvent.Disconnect d) {
            onDisconnect(new DeviceKey(d.user(), d.device()), t, d.reason());
        } else if (event instanceof HistoryEvent.Presence p) {
            UserPresence truth = presence.get(p.about());
            if (truth != null) {
                staleness.recordValue(t - truth.changedAt);
            }
        }
    }

    private void measured(SendLatencies.Kind kind, long micros) {
        // Measured as the ack or deliver is recorded, so the message was first sent micros before it.
        boolean warm = measuredFrom > 0 && lastT - micros >= measuredFrom;
        if (kind == SendLatencies.Kind.SEND_TO_ACK) {
            ack.recordValue(micros);
            totalAck.record(micros);
            if (warm) {
                warmAck.record(micros);
            }
        } else {
            deliver.recordValue(micros);
            totalDeliver.record(micros);
            if (warm) {
                warmDeliver.record(micros);
            }
        }
    }

    private void onConnect(DeviceKey device, long t) {
        intervalConnects++;
        connectPeak.record(t);
        if (!everConnected.add(device)) {
            reconnects++;
            intervalReconnects++;
        }
        Long lost = lostAt.remove(device);
        if (lost != null) {
            reconnectGap.record(Math.max(0, t - lost));
        }
        if (connected.add(device)) {
            UserPresence user = presence.computeIfAbsent(device.user(), u -> new UserPresence());
            if (user.sessions++ == 0) {
                user.changedAt = t;
            }
        }
    }

    private void onDisconnect(DeviceKey device, long t, String reason) {
        intervalDisconnects++;
        if (!ClientDevice.WENT_OFFLINE.equals(reason)) {
            lostAt.put(device, t);
        }
        if (connected.remove(device)) {
            openMin = Math.min(openMin, connected.size());
            UserPresence user = presence.get(device.user());
            if (--user.sessions == 0) {
                user.changedAt = t;
            }
        }
    }

    private void closeInterval() {
        long end = intervalStart + intervalMicros;
        intervals.add(new IntervalStats(intervalStart, end, ack, deliver, intervalConnects, intervalDisconnects,
                intervalReconnects, connected.size(), Math.min(openMin, connected.size()), intervalSends, intervalAcks,
                intervalDelivers));
        openMin = connected.size();
        ack = newHistogram();
        deliver = newHistogram();
        intervalConnects = intervalDisconnects = intervalReconnects = intervalSends = intervalAcks = intervalDelivers = 0;
        intervalStart = end;
    }

    public long events() {
        return counts.events();
    }

    public long acks() {
        return counts.acks();
    }

    public long delivers() {
        return counts.delivers();
    }

    public long connects() {
        return counts.connects();
    }

    public long disconnects() {
        return counts.disconnects();
    }

    /** Devices whose last connection was lost (not given up on purpose) and that never connected again. */
    public int devicesNeverReconnected() {
        return lostAt.size();
    }

    /** The run summary's {@code counts}, in a fixed order. */
    public Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("history_events", counts.events());
        out.put("messages", latencies.messages());
        out.put("sends", counts.sends());
        out.put("acks", counts.acks());
        out.put("fails", counts.fails());
        out.put("indeterminate", latencies.indeterminate());
        out.put("delivers", counts.delivers());
        out.put("reads", counts.reads());
        out.put("typing", counts.typing());
        out.put("connects", counts.connects());
        out.put("peak_connects_1s", connectPeak.peak());
        out.put("disconnects", counts.disconnects());
        out.put("presence", counts.presence());
        out.put("receipts", counts.receipts());
        return out;
    }

    /**
     * The run summary's {@code latency_us}: send to ack and send to deliver of the messages first
     * sent after the warm-up ({@link #measuringFrom}), of every message if there is none.
     */
    public Map<String, Object> latency() {
        if (measuredFrom == 0) {
            return latencyWholeRun();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send_to_ack", warmAck.summary());
        out.put("send_to_deliver", warmDeliver.summary());
        return out;
    }

    /** Send to ack and send to deliver of every message, the warm-up's included. */
    public Map<String, Object> latencyWholeRun() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send_to_ack", totalAck.summary());
        out.put("send_to_deliver", totalDeliver.summary());
        return out;
    }

    /**
     * A run summary's latency keys: {@code latency_us} ({@link #latency()}) and, with a warm-up left
     * out, {@code latency_from_us} (its end) and {@code latency_whole_run_us}.
     */
    public void putLatency(Map<String, Object> summary) {
        summary.put("latency_us", latency());
        if (measuredFrom > 0) {
            summary.put("latency_from_us", measuredFrom);
            summary.put("latency_whole_run_us", latencyWholeRun());
        }
    }

    /** What a run prints of {@link #putLatency}: one line, or two with a warm-up left out. */
    public String latencyLines() {
        if (measuredFrom == 0) {
            return "latency_us: " + latency();
        }
        return String.format(java.util.Locale.ROOT, "latency_us (messages first sent from %.1f s on, after the warm-up): %s%n"
                + "latency_whole_run_us: %s", measuredFrom / 1e6, latency(), latencyWholeRun());
    }

    /**
     * How long devices that lost their connection took to be connected again (a user who went
     * offline on purpose is not counted): the summary's {@code reconnect_us}.
     */
    public Map<String, Object> reconnectTime() {
        return reconnectGap.summary();
    }

    /**
     * Each interval with connects or disconnects in it, up to the last event: the thundering herd and
     * how it settled ({@code second} is the interval's start in seconds), as a real run's summary
     * lists it.
     */
    public List<Map<String, Object>> reconnectCurve() {
        List<Long> connects = connectsOverTime(lastT + 1);
        List<Long> disconnects = disconnectsOverTime(lastT + 1);
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int b = 0; b < connects.size(); b++) {
            if (connects.get(b) > 0 || disconnects.get(b) > 0) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("second", b * intervalMicros / 1_000_000);
                point.put("connects", connects.get(b));
                point.put("disconnects", disconnects.get(b));
                curve.add(point);
            }
        }
        return curve;
    }

    /** Connects per interval, from the run's start up to the interval holding {@code endMicros - 1}. */
    public List<Long> connectsOverTime(long endMicros) {
        return overTime(endMicros, IntervalStats::connects, intervalConnects);
    }

    /** Disconnects per interval, as {@link #connectsOverTime}. */
    public List<Long> disconnectsOverTime(long endMicros) {
        return overTime(endMicros, IntervalStats::disconnects, intervalDisconnects);
    }

    /** Intervals are closed in order from 0, so interval {@code b} is closed, open, or still to come. */
    private List<Long> overTime(long endMicros, ToLongFunction<IntervalStats> closed, long open) {
        int buckets = (int) ((endMicros + intervalMicros - 1) / intervalMicros);
        List<Long> out = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            out.add(b < intervals.size() ? closed.applyAsLong(intervals.get(b)) : b == intervals.size() ? open : 0L);
        }
        return out;
    }

    /** Closes the last interval (the one holding the last event) and returns what was measured. */
    public RunMetrics finish() {
        if (!finished) {
            closeInterval();
            finished = true;
        }
        Map<String, Long> named = new TreeMap<>();
        named.put("events", counts.events());
        named.put("sends", counts.sends());
        named.put("acks", counts.acks());
        named.put("fails", counts.fails());
        named.put("delivers", counts.delivers());
        named.put("reads", counts.reads());
        named.put("typing", counts.typing());
        named.put("connects", counts.connects());
        named.put("reconnects", reconnects);
        named.put("disconnects", counts.disconnects());
        named.put("presence", counts.presence());
        named.put("messages", (long) latencies.messages());
        named.put("indeterminate", (long) latencies.indeterminate());
        return new RunMetrics(intervalMicros, totalAck.histogram, totalDeliver.histogram, staleness, intervals, named);
    }
}
