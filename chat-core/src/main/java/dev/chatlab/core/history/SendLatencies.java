package dev.chatlab.core.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Pairs each message's first {@code send} with its {@code ack} and its deliveries, and reports
 * the waits (and counts the sends that stay indeterminate): latency measured from when the user first asked, so a retried message shows its
 * whole wait. Every recorder of run statistics (simulated, real, report) measures it this way.
 *
 * <pre>{@code
 * var latencies = new SendLatencies((kind, atMicros, micros) -> histogram(kind).recordValue(micros));
 * for (HistoryEvent e : history) {
 *     latencies.accept(e);
 * }
 * }</pre>
 */
public final class SendLatencies implements HistorySink {

    public enum Kind { SEND_TO_ACK, SEND_TO_DELIVER }

    /** Receives one measured wait. */
    @FunctionalInterface
    public interface Listener {
        void measured(Kind kind, long atMicros, long latencyMicros);
    }

    private record MessageKey(String chat, String user, String cmid) {
    }

    private final Map<MessageKey, Long> firstSend = new HashMap<>();
    /** Messages with an {@code ack} or a {@code fail}: the others are indeterminate. */
    private final Set<MessageKey> settled = new HashSet<>();
    private final Listener listener;

    public SendLatencies(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void accept(HistoryEvent event) {
        if (event instanceof HistoryEvent.Send s) {
            firstSend.putIfAbsent(new MessageKey(s.chat(), s.user(), s.cmid()), s.t());
        } else if (event instanceof HistoryEvent.Ack a) {
            MessageKey message = new MessageKey(a.chat(), a.user(), a.cmid());
            settle(message);
            measure(Kind.SEND_TO_ACK, message, a.t());
        } else if (event instanceof HistoryEvent.Fail f) {
            settle(new MessageKey(f.chat(), f.user(), f.cmid()));
        } else if (event instanceof HistoryEvent.Deliver d) {
            measure(Kind.SEND_TO_DELIVER, new MessageKey(d.chat(), d.from(), d.cmid()), d.t());
        }
    }

    /** Distinct messages sent so far. */
    public int messages() {
        return firstSend.size();
    }

    /**
     * Distinct messages sent so far with neither an {@code ack} nor a {@code fail}: their outcome is
     * unknown to the sender (at the end of a run: the history format's indeterminate sends).
     */
    public int indeterminate() {
        return firstSend.size() - settled.size();
    }

    private void settle(MessageKey message) {
        if (firstSend.containsKey(message)) {
            settled.add(message);
        }
    }

    private void measure(Kind kind, MessageKey message, long atMicros) {
        Long sent = firstSend.get(message);
        if (sent != null) {
            listener.measured(kind, atMicros, Math.max(0, atMicros - sent));
        }
    }
}
