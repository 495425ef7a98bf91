package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a fleet's {@link Frontier} up to date from the events its devices record: acks and
 * deliveries move a chat's head, deliveries a device's cursor, acks its newest own seq. It reads what the history says, so the
 * frontier is what the checker will see. Not thread-safe: it lives on the fleet's event loop.
 *
 * <p>It keeps one entry per device and chat, both seqs in it, keyed by the event's own strings:
 * two maps of "user/device" keys per device, as the frontier is read, held about 500 bytes a device
 * in the recording fleet and made a key string at each event. The frontier's maps are built when
 * it is read, after the quiesce.
 */
final class FrontierTracker implements HistorySink {

    private final Map<String, Long> heads = new HashMap<>();
    private final Map<DeviceChat, long[]> seqs = new HashMap<>();

    private record DeviceChat(String user, String device, String chat) {
    }

    /** Where a device's newest delivered seq and its newest own acked seq are kept in its entry (0: none). */
    private static final int CURSOR = 0;
    private static final int OWN = 1;

    @Override
    public void accept(HistoryEvent event) {
        if (event instanceof HistoryEvent.Ack a) {
            // A device's own messages are kept apart: it has the head if it sent it, but no delivery moved.
            advance(OWN, a.user(), a.device(), a.chat(), a.seq());
        } else if (event instanceof HistoryEvent.Deliver d) {
            advance(CURSOR, d.user(), d.device(), d.chat(), d.seq());
        }
    }

    private void advance(int which, String user, String device, String chat, long seq) {
        heads.merge(chat, seq, Math::max);
        long[] entry = seqs.computeIfAbsent(new DeviceChat(user, device, chat), k -> new long[2]);
        entry[which] = Math.max(entry[which], seq);
    }

    Frontier snapshot(int pendingSends) {
        Map<String, Map<String, Long>> cursors = new HashMap<>();
        Map<String, Map<String, Long>> own = new HashMap<>();
        seqs.forEach((key, entry) -> {
            String device = key.user() + "/" + key.device();
            if (entry[CURSOR] > 0) {
                cursors.computeIfAbsent(device, k -> new HashMap<>()).put(key.chat(), entry[CURSOR]);
            }
            if (entry[OWN] > 0) {
                own.computeIfAbsent(device, k -> new HashMap<>()).put(key.chat(), entry[OWN]);
            }
        });
        return new Frontier(heads, cursors, own, pendingSends);
    }
}
