package dev.chatlab.reports;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Measures a run from its history as it is recorded, so a run that does not keep its whole history
 * still gets latency histograms and time series: send to ack and send to deliver (from the
 * message's first {@code send}, so a retried message shows its whole wait), interval histograms
 * over run time, connections, reconnects, acks and deliveries per interval, and presence staleness.
 *
 * <pre>{@code
 * RunRecorder recorder = new RunRecorder();                  // 1 s intervals
 * HistorySink sink = HistorySink.all(writer, checker, recorder);
 * ... run ...
 * RunMetrics metrics = recorder.finish();
 * RunReport.write(runDir, metrics);                          // report.html and the .hlog files
 * }</pre>
 *
 * <p>Or from a recorded file: {@code RunMetrics m = RunRecorder.read(path, RunRecorder.DEFAULT_INTERVAL_MICROS)}.
 * Events must come ordered by {@code t}, as the history format requires. Not thread-safe. Memory
 * grows with the messages of the run (the first send of each, to measure its deliveries) and the
 * devices, not with the events: a run that keeps only a sample of its history can still measure
 * every message.
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

    private final long intervalMicros;
    private final SendLatencies latencies = new SendLatencies((kind, at, micros) ->
            (kind == SendLatencies.Kind.SEND_TO_ACK ? this.ack : this.deliver).recordValue(micros));
    private final Set<DeviceKey> everConnected = new HashSet<>();
    private final Set<DeviceKey> connected = new HashSet<>();
    private final Map<String, UserPresence> presence = new HashMap<>();
    private final Histogram totalAck = newHistogram();
    private final Histogram totalDeliver = newHistogram();
    private final Histogram staleness = newHistogram();
    private final List<IntervalStats> intervals = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();

    private long intervalStart;
    private Histogram ack = newHistogram();
    private Histogram deliver = newHistogram();
    private long connects;
    private long disconnects;
    private long reconnects;
    private long sends;
    private long acks;
    private long delivers;
    private long lastT;
    private long openMin;
    private boolean finished;

    public RunRecorder() {
        this(DEFAULT_INTERVAL_MICROS);
    }

    public RunRecorder(long intervalMicros) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("intervalMicros must be positive, was " + intervalMicros);
        }
        this.intervalMicros = intervalMicros;
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
        bump("events");
        latencies.accept(event);
        if (event instanceof HistoryEvent.Send) {
            sends++;
            bump("sends");
        } else if (event instanceof HistoryEvent.Ack) {
            acks++;
            bump("acks");
        } else if (event instanceof HistoryEvent.Deliver) {
            delivers++;
            bump("delivers");
        } else if (event instanceof HistoryEvent.Connect c) {
            onConnect(new DeviceKey(c.user(), c.device()), t);
        } else if (event instanceof HistoryEvent.Disconnect d) {
            onDisconnect(new DeviceKey(d.user(), d.device()), t);
        } else if (event instanceof HistoryEvent.Presence p) {
            bump("presence");
            UserPresence truth = presence.get(p.about());
            if (truth != null) {
                staleness.recordValue(t - truth.changedAt);
            }
        } else if (event instanceof HistoryEvent.Fail) {
            bump("fails");
        } else if (event instanceof HistoryEvent.Read) {
            bump("reads");
        } else if (event instanceof HistoryEvent.Typing) {
            bump("typing");
        }
    }

    private void onConnect(DeviceKey device, long t) {
        connects++;
        bump("connects");
        if (!everConnected.add(device)) {
            reconnects++;
            bump("reconnects");
        }
        if (connected.add(device)) {
            UserPresence user = presence.computeIfAbsent(device.user(), u -> new UserPresence());
            if (user.sessions++ == 0) {
                user.changedAt = t;
            }
        }
    }

    private void onDisconnect(DeviceKey device, long t) {
        disconnects++;
        bump("disconnects");
        if (connected.remove(device)) {
            openMin = Math.min(openMin, connected.size());
            UserPresence user = presence.get(device.user());
            if (--user.sessions == 0) {
                user.changedAt = t;
            }
        }
    }

    private void bump(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    private void closeInterval() {
        long end = intervalStart + intervalMicros;
        intervals.add(new IntervalStats(intervalStart, end, ack, deliver, connects, disconnects, reconnects,
                connected.size(), Math.min(openMin, connected.size()), sends, acks, delivers));
        openMin = connected.size();
        totalAck.add(ack);
        totalDeliver.add(deliver);
        ack = newHistogram();
        deliver = newHistogram();
        connects = disconnects = reconnects = sends = acks = delivers = 0;
        intervalStart = end;
    }

    /** Closes the last interval (the one holding the last event) and returns what was measured. */
    public RunMetrics finish() {
        if (!finished) {
            closeInterval();
            counts.put("messages", (long) latencies.messages());
            counts.put("indeterminate", (long) latencies.indeterminate());
            finished = true;
        }
        return new RunMetrics(intervalMicros, totalAck, totalDeliver, staleness, intervals, counts);
    }
}
