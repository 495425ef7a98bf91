package dev.chatlab.scenarios.sim;

import dev.chatlab.core.history.EventCounts;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.SendLatencies;
import dev.chatlab.scenarios.world.TimeSeries;

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

    /** Connections and disconnections are also counted per bucket of {@code bucketMicros}. */
    RunStats(long bucketMicros) {
        this.connectsOverTime = new TimeSeries(bucketMicros);
        this.disconnectsOverTime = new TimeSeries(bucketMicros);
    }

    @Override
    public void accept(HistoryEvent event) {
        counts.accept(event);
        latencies.accept(event);
        if (event instanceof HistoryEvent.Connect) {
            connectsOverTime.add(event.t());
        } else if (event instanceof HistoryEvent.Disconnect) {
            disconnectsOverTime.add(event.t());
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

    Map<String, Object> latency() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send_to_ack", sendToAck.summary());
        out.put("send_to_deliver", sendToDeliver.summary());
        return out;
    }
}
