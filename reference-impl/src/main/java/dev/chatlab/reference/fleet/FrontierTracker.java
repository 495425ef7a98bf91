package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a fleet's {@link Frontier} up to date from the events its devices record: acks and
 * deliveries move a chat's head, deliveries a device's cursor, acks add to its own seqs. It reads what the history says, so the
 * frontier is what the checker will see. Not thread-safe: it lives on the fleet's event loop.
 */
final class FrontierTracker implements HistorySink {

    private final Map<String, Long> heads = new HashMap<>();
    private final Map<String, Map<String, Long>> cursors = new HashMap<>();
    private final Map<String, Map<String, Set<Long>>> own = new HashMap<>();

    @Override
    public void accept(HistoryEvent event) {
        if (event instanceof HistoryEvent.Ack a) {
            heads.merge(a.chat(), a.seq(), Math::max);
            String key = a.user() + "/" + a.device();
            // A device's own messages are kept apart: it has the head if it sent it, but no delivery moved.
            long delivered = cursors.getOrDefault(key, Map.of()).getOrDefault(a.chat(), 0L);
            if (a.seq() > delivered) {
                own.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(a.chat(), k -> new HashSet<>()).add(a.seq());
            }
        } else if (event instanceof HistoryEvent.Deliver d) {
            heads.merge(d.chat(), d.seq(), Math::max);
            String key = d.user() + "/" + d.device();
            long now = cursors.computeIfAbsent(key, k -> new HashMap<>()).merge(d.chat(), d.seq(), Math::max);
            Set<Long> sent = own.getOrDefault(key, Map.of()).get(d.chat());
            if (sent != null) {
                sent.removeIf(s -> s <= now);
            }
        }
    }

    Frontier snapshot(int pendingSends) {
        return new Frontier(heads, cursors, own, pendingSends);
    }
}
