package dev.chatlab.scenarios.sim;

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
    private long events;
    private long sends;
    private long acks;
    private long fails;
    private long delivers;
    private long reads;
    private long typing;
    private long connects;
    private long disconnects;
    private long presence;
    private long receipts;
    private final TimeSeries connectsOverTime;
    private final TimeSeries disconnectsOverTime;

    /** Connections and disconnections are also counted per bucket of {@code bucketMicros}. */
    RunStats(long bucketMicros) {
        this.connectsOverTime = new TimeSeries(bucketMicros);
        this.disconnectsOverTime = new TimeSeries(bucketMicros);
    }

    @Override
    public void accept(HistoryEvent event) {
        events++;
        latencies.accept(event);
        if (event instanceof HistoryEvent.Send) {
            sends++;
        } else if (event instanceof HistoryEvent.Ack) {
            acks++;
        } else if (event instanceof HistoryEvent.Fail) {
            fails++;
        } else if (event instanceof HistoryEvent.Deliver) {
            delivers++;
        } else if (event instanceof HistoryEvent.Read) {
            reads++;
        } else if (event instanceof HistoryEvent.Typing) {
            typing++;
        } else if (event instanceof HistoryEvent.Connect) {
            connects++;
            connectsOverTime.add(event.t());
        } else if (event instanceof HistoryEvent.Disconnect) {
            disconnects++;
            disconnectsOverTime.add(event.t());
        } else if (event instanceof HistoryEvent.Presence) {
            presence++;
        } else if (event instanceof HistoryEvent.Receipt) {
            receipts++;
        }
    }

    long events() {
        return events;
    }

    long acks() {
        return acks;
    }

    Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("messages", latencies.messages());
        out.put("sends", sends);
        out.put("acks", acks);
        out.put("fails", fails);
        out.put("indeterminate", latencies.indeterminate());
        out.put("delivers", delivers);
        out.put("reads", reads);
        out.put("typing", typing);
        out.put("connects", connects);
        out.put("disconnects", disconnects);
        out.put("presence", presence);
        out.put("receipts", receipts);
        return out;
    }

    long connects() {
        return connects;
    }

    long disconnects() {
        return disconnects;
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
