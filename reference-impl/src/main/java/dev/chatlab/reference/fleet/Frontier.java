package dev.chatlab.reference.fleet;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far a fleet's devices have got, as their own history shows it: each chat's newest seq
 * seen anywhere in the fleet (acked to its sender or delivered to some device), each device's
 * newest seq per chat delivered to it and of its own acked, and the sends still waiting
 * for an answer. The run's driver reads it after the quiesce to tell when every device has
 * caught up, without making any device do anything; fleets in several processes each give
 * theirs, and {@link #merge} joins them (a chat's head is the newest any process saw).
 *
 * <pre>{@code
 * Frontier all = Frontier.merge(List.of(workerA, workerB));
 * Frontier.Owed owed = all.owed(plan.chats(), plan.devices());
 * if (owed.settled()) ...
 * }</pre>
 *
 * @param heads        chat -> newest seq seen
 * @param cursors      "user/device" -> chat -> newest seq delivered to that device
 * @param own          "user/device" -> chat -> newest seq of its own messages acked to it
 * @param pendingSends sends not answered yet (an unanswered send may still commit)
 */
public record Frontier(Map<String, Long> heads, Map<String, Map<String, Long>> cursors,
                       Map<String, Map<String, Long>> own, int pendingSends) {

    public Frontier {
        heads = Map.copyOf(heads);
        cursors = copyOf(cursors);
        own = copyOf(own);
    }

    private static Map<String, Map<String, Long>> copyOf(Map<String, Map<String, Long>> byDevice) {
        Map<String, Map<String, Long>> copy = new HashMap<>();
        byDevice.forEach((device, chats) -> copy.put(device, Map.copyOf(chats)));
        return Map.copyOf(copy);
    }

    /** The fleet's frontier from its processes' ones: heads by maximum, cursors by device, pending sends summed. */
    public static Frontier merge(List<Frontier> parts) {
        Map<String, Long> heads = new HashMap<>();
        Map<String, Map<String, Long>> cursors = new HashMap<>();
        Map<String, Map<String, Long>> own = new HashMap<>();
        int pending = 0;
        for (Frontier f : parts) {
            f.heads.forEach((chat, seq) -> heads.merge(chat, seq, Math::max));
            mergeByMax(f.cursors, cursors);
            mergeByMax(f.own, own);
            pending += f.pendingSends;
        }
        return new Frontier(heads, cursors, own, pending);
    }

    private static void mergeByMax(Map<String, Map<String, Long>> from, Map<String, Map<String, Long>> into) {
        from.forEach((device, chats) -> chats.forEach((chat, seq) ->
                into.computeIfAbsent(device, k -> new HashMap<>()).merge(chat, seq, Math::max)));
    }

    /** One line of JSON, as a fleet worker answers with it. */
    public String toJson() {
        return new JsonObject().put("heads", new JsonObject(new HashMap<String, Object>(heads)))
                .put("cursors", toJson(cursors)).put("own", toJson(own)).put("pending", pendingSends).encode();
    }

    private static JsonObject toJson(Map<String, Map<String, Long>> byDevice) {
        JsonObject out = new JsonObject();
        byDevice.forEach((device, chats) -> out.put(device, new JsonObject(new HashMap<String, Object>(chats))));
        return out;
    }

    public static Frontier fromJson(String json) {
        JsonObject o = new JsonObject(json);
        return new Frontier(seqs(o.getJsonObject("heads")), bySeqs(o.getJsonObject("cursors")), bySeqs(o.getJsonObject("own")),
                o.getInteger("pending"));
    }

    private static Map<String, Long> seqs(JsonObject o) {
        Map<String, Long> out = new HashMap<>();
        for (String key : o.fieldNames()) {
            out.put(key, o.getLong(key));
        }
        return out;
    }

    private static Map<String, Map<String, Long>> bySeqs(JsonObject o) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (String device : o.fieldNames()) {
            out.put(device, seqs(o.getJsonObject(device)));
        }
        return out;
    }

    /**
     * What is still owed: every device of every member of a chat should have the chat's head,
     * delivered or as its own acked message. Seqs may have gaps (a chat's owner can give a seq to
     * a message that is never stored, as an overloaded one does), so a head ahead of a device counts
     * one missing delivery, whatever the difference; the checker names every message at the end.
     *
     * @param members chat -> its members (a real run's membership does not change)
     * @param devices the device names every user has
     */
    public Owed owed(Map<String, List<String>> members, List<String> devices) {
        long chatsBehind = 0;
        long deliveries = 0;
        Set<String> devicesBehind = new HashSet<>();
        for (Map.Entry<String, List<String>> chat : members.entrySet()) {
            long head = heads.getOrDefault(chat.getKey(), 0L);
            if (head == 0) {
                continue;
            }
            boolean behind = false;
            for (String user : chat.getValue()) {
                for (String device : devices) {
                    String key = user + "/" + device;
                    long has = cursors.getOrDefault(key, Map.of()).getOrDefault(chat.getKey(), 0L);
                    // Seqs only grow, so a device has the head if it was delivered or was its own newest message.
                    if (has < head && own.getOrDefault(key, Map.of()).getOrDefault(chat.getKey(), 0L) != head) {
                        deliveries++;
                        devicesBehind.add(key);
                        behind = true;
                    }
                }
            }
            chatsBehind += behind ? 1 : 0;
        }
        return new Owed(chatsBehind, devicesBehind.size(), deliveries, pendingSends);
    }

    /**
     * What the devices still miss, at least: a message in every chat some device lags in, the
     * devices behind in some chat, and a delivery for every device and chat that lags.
     */
    public record Owed(long messages, long devices, long deliveries, int pendingSends) {
        public boolean settled() {
            return deliveries == 0 && pendingSends == 0;
        }
    }
}
