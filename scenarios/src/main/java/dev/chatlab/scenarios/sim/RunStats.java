package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.history.EventCounts;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.SendLatencies;
import dev.chatlab.scenarios.world.TimeSeries;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts and latencies of a run, taken from its history as it is recorded: sends, acks, fails,
 * deliveries, and the time from a message's first {@code send} to its {@code ack} and to each of
 * its deliveries. Measured from the first send, not the last retry, so a retried message shows
 * its whole wait (no coordinated omission).
 *
 * <pre>{@code
 * RunStats stats = new RunStats(1_000_000);           // connections counted per second too
 * HistorySink sink = HistorySink.all(writer, checker, stats);
 * ...
 * Map<String, Object> counts = stats.counts();
 * }</pre>
 */
final class RunStats implements HistorySink {

    private final LatencySamples sendToAck = new LatencySamples();
    private final LatencySamples sendToDeliver = new LatencySamples();
    private final SendLatencies latencies = new SendLatencies((kind, at, micros) ->
            (kind == SendLatencies.Kind.SEND_TO_ACK ? sendToAck : sendToDeliver).add(micros));
    private final EventCounts counts = new EventCounts();
    private final TimeSeries connectsOverTime;
    private final TimeSeries disconnectsOverTime;
    private final LatencySamples reconnectGap = new LatencySamples();
    /** When each device ("user/device") lost its connection, until it connects again; looked up, never iterated. */
    private final Map<String, Long> lostAt = new HashMap<>();

    /** Connections and disconnections are also counted per bucket of {@code bucketMicros}. */
    RunStats(long bucketMicros) {
        this.connectsOverTime = new TimeSeries(bucketMicros);
        this.disconnectsOverTime = new TimeSeries(bucketMicros);
    }

    @Override
    public void accept(HistoryEvent event) {
        counts.accept(event);
        latencies.accept(event);
        if (event instanceof HistoryEvent.Connect c) {
            connectsOverTime.add(event.t());
            Long lost = lostAt.remove(c.user() + "/" + c.device());
            if (lost != null) {
                reconnectGap.add(Math.max(0, c.t() - lost));
            }
        } else if (event instanceof HistoryEvent.Disconnect d) {
            disconnectsOverTime.add(event.t());
            if (!ClientDevice.WENT_OFFLINE.equals(d.reason())) {
                lostAt.put(d.user() + "/" + d.device(), d.t());
            }
        }
    }

    long events() {
        return counts.events();
    }

    long acks() {
        return counts.acks();
    }

    Map<String, Object> counts() {
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
        out.put("disconnects", counts.disconnects());
        out.put("presence", counts.presence());
        out.put("receipts", counts.receipts());
        return out;
    }

    long connects() {
        return counts.connects();
    }

    long disconnects() {
        return counts.disconnects();
    }

    TimeSeries connectsOverTime() {
        return connectsOverTime;
    }

    TimeSeries disconnectsOverTime() {
        return disconnectsOverTime;
    }

    /**
     * How long devices that lost their connection took to be connected again (a user who went
     * offline on purpose is not counted): the summary's {@code reconnect_us}, as a real run's.
     */
    Map<String, Object> reconnectTime() {
        return reconnectGap.summary();
    }

    Map<String, Object> latency() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send_to_ack", sendToAck.summary());
        out.put("send_to_deliver", sendToDeliver.summary());
        return out;
    }
}
