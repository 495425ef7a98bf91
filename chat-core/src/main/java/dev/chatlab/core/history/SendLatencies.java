package dev.chatlab.core.history;

import java.util.HashMap;
import java.util.Map;

/**
 * Pairs each message's first {@code send} with its {@code ack} and its deliveries, and reports
 * the waits: latency measured from when the user first asked, so a retried message shows its
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
    private final Listener listener;

    public SendLatencies(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void accept(HistoryEvent event) {
        if (event instanceof HistoryEvent.Send s) {
            firstSend.putIfAbsent(new MessageKey(s.chat(), s.user(), s.cmid()), s.t());
        } else if (event instanceof HistoryEvent.Ack a) {
            measure(Kind.SEND_TO_ACK, new MessageKey(a.chat(), a.user(), a.cmid()), a.t());
        } else if (event instanceof HistoryEvent.Deliver d) {
            measure(Kind.SEND_TO_DELIVER, new MessageKey(d.chat(), d.from(), d.cmid()), d.t());
        }
    }

    /** Distinct messages sent so far. */
    public int messages() {
        return firstSend.size();
    }

    private void measure(Kind kind, MessageKey message, long atMicros) {
        Long sent = firstSend.get(message);
        if (sent != null) {
            listener.measured(kind, atMicros, Math.max(0, atMicros - sent));
        }
    }
}
