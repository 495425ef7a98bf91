package dev.chatlab.reference.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;

/**
 * The push sink: notifications a node would hand to a push service for users with no device
 * online. It keeps the newest {@code max} of them, numbered from 1, so that a run can read them
 * back over HTTP ({@code GET /pushes?after=N}) and check who was notified. Accessed from the
 * node's event loop only.
 *
 * <pre>{@code
 * PushLog pushes = new PushLog(10_000);
 * pushes.record("bob", "c1", 42, "alice", nowMicros);
 * JsonObject page = pushes.after(0, 500);
 * }</pre>
 */
public final class PushLog {

    private final int max;
    private final ArrayDeque<JsonObject> entries = new ArrayDeque<>();
    private long recorded;

    public PushLog(int max) {
        this.max = max;
    }

    public void record(String user, String chat, long seq, String from, long atMicros) {
        recorded++;
        entries.addLast(new JsonObject().put("n", recorded).put("t", atMicros).put("user", user).put("chat", chat)
                .put("seq", seq).put("from", from));
        if (entries.size() > max) {
            entries.removeFirst();
        }
    }

    public long recorded() {
        return recorded;
    }

    /** Up to {@code limit} pushes numbered after {@code after}, and how many were ever recorded. */
    public JsonObject after(long after, int limit) {
        JsonArray page = new JsonArray();
        for (JsonObject e : entries) {
            if (e.getLong("n") > after && page.size() < limit) {
                page.add(e);
            }
        }
        return new JsonObject().put("recorded", recorded).put("dropped", recorded - entries.size())
                .put("pushes", page);
    }
}
