package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a fleet's {@link Frontier} up to date from the events its devices record: acks and
 * deliveries move a chat's head, deliveries a device's cursor, acks its newest own seq. It reads what the history says, so the
 * frontier is what the checker will see. Not thread-safe: it lives on the fleet's event loop.
 */
final class FrontierTracker implements HistorySink {

    private final Map<String, Long> heads = new HashMap<>();
    private final Map<String, Map<String, Long>> cursors = new HashMap<>();
    private final Map<String, Map<String, Long>> own = new HashMap<>();

    @Override
    public void accept(HistoryEvent event) {
        if (event instanceof HistoryEvent.Ack a) {
            // A device's own messages are kept apart: it has the head if it sent it, but no delivery moved.
            advance(own, a.user(), a.device(), a.chat(), a.seq());
        } else if (event instanceof HistoryEvent.Deliver d) {
            advance(cursors, d.user(), d.device(), d.chat(), d.seq());
        }
    }

    private void advance(Map<String, Map<String, Long>> byDevice, String user, String device, String chat, long seq) {
        heads.merge(chat, seq, Math::max);
        byDevice.computeIfAbsent(user + "/" + device, k -> new HashMap<>()).merge(chat, seq, Math::max);
    }

    Frontier snapshot(int pendingSends) {
        return new Frontier(heads, cursors, own, pendingSends);
    }
}
