package dev.chatlab.reference.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults a chat node applies to itself, set at run time through {@code POST /chaos} (see
 * {@code NodeChaosEndpoint}): a clock offset (the node's {@code now()}, so Snowflake ids, presence
 * TTLs and last-seen times read a skewed clock), a store slowdown factor ({@link SlowStore}), and
 * the peers whose messages it drops, outgoing and incoming ({@link CutPeers}). A node
 * started without {@code --chaos on} has {@link #off()}, which refuses every change, so a
 * production-like node cannot be faulted from outside.
 *
 * <pre>{@code
 * NodeChaos chaos = NodeChaos.enabled();
 * chaos.replace(new JsonObject().put("clock_offset_us", -5_000_000).put("drop_to", new JsonArray().add("n2")));
 * long now = trueNow + chaos.clockOffsetMicros();
 * }</pre>
 *
 * <p>A change replaces the whole state (fields left out go back to normal), so the same body can
 * be sent again after a restart and the node ends up exactly as the run wants it.
 */
public final class NodeChaos {

    /** Largest clock step accepted: a day either way (a bigger one is a typo, not a fault). */
    static final long CLOCK_OFFSET_MAX_MICROS = 86_400_000_000L;
    /** How many membership views a node keeps for {@code GET /chaos} (the count goes on). */
    static final int VIEWS_KEPT_MAX = 64;
    /** Largest store slowdown accepted. */
    static final double DISK_FACTOR_MAX = 1_000;

    /** One immutable state, swapped whole, so the event loop and store threads read it without locks. */
    record State(long clockOffsetMicros, double diskFactor, Set<String> dropTo, Set<String> dropFrom) {
        static final State NORMAL = new State(0, 1, Set.of(), Set.of());
    }

    private final boolean enabled;
    private volatile State state = State.NORMAL;
    private final AtomicLong peerDropped = new AtomicLong();
    private final AtomicLong storeSlowed = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    /** The membership views this node was given, each with when (epoch ms), the first {@link #VIEWS_KEPT_MAX}. */
    private final List<JsonObject> views = new ArrayList<>();
    private String view = "";
    private long viewChanges;
    /** Changes of this node's links to the nodes of its view, the first {@link #VIEWS_KEPT_MAX}. */
    private final List<JsonObject> peerLinks = new ArrayList<>();
    private long peerLinkChanges;

    private NodeChaos(boolean enabled) {
        this.enabled = enabled;
    }

    /** Accepts changes: for nodes started by a run (the launcher passes {@code --chaos on}). */
    public static NodeChaos enabled() {
        return new NodeChaos(true);
    }

    /** Refuses every change and never alters the node. */
    public static NodeChaos off() {
        return new NodeChaos(false);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public long clockOffsetMicros() {
        return state.clockOffsetMicros();
    }

    public double diskFactor() {
        return state.diskFactor();
    }

    /** Whether a message from this node to {@code node} is to be dropped. */
    public boolean dropsTo(String node) {
        return state.dropTo().contains(node);
    }

    /** Whether a message from {@code node} to this node is to be dropped. */
    public boolean dropsFrom(String node) {
        return state.dropFrom().contains(node);
    }

    /**
     * Notes a membership view the node was given (kept whether or not chaos is enabled; it changes
     * nothing), so that a run can show what a partition did to membership.
     */
    public synchronized void recordView(List<String> nodes, long nowEpochMillis) {
        String v = String.join(",", new TreeSet<>(nodes));
        if (v.equals(view)) {
            return;
        }
        view = v;
        viewChanges++;
        if (views.size() < VIEWS_KEPT_MAX) {
            views.add(new JsonObject().put("at_ms", nowEpochMillis).put("members", v));
        }
    }

    /**
     * Notes that this node now reaches {@code peer} ({@code "ok"}) or not (why), as
     * {@link dev.chatlab.reference.cluster.PeerLinkAudit} found; kept whether or not chaos is enabled.
     */
    public synchronized void recordPeerLink(String peer, String state, long nowEpochMillis) {
        peerLinkChanges++;
        if (peerLinks.size() < VIEWS_KEPT_MAX) {
            peerLinks.add(new JsonObject().put("at_ms", nowEpochMillis).put("peer", peer).put("state", state));
        }
    }

    void countPeerDropped() {
        peerDropped.incrementAndGet();
    }

    void countStoreSlowed() {
        storeSlowed.incrementAndGet();
    }

    /**
     * Replaces the state with the body's: {@code clock_offset_us} (integer), {@code disk_factor}
     * (at least 1), {@code drop_to} and {@code drop_from} (arrays of node names). Throws
     * {@link IllegalArgumentException} on a bad body (the state stays as it was) and
     * {@link IllegalStateException} if chaos is off.
     */
    public void replace(JsonObject body) {
        if (!enabled) {
            throw new IllegalStateException("chaos is off on this node: start it with --chaos on");
        }
        for (String field : body.fieldNames()) {
            if (!List.of("clock_offset_us", "disk_factor", "drop_to", "drop_from").contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field
                        + "': expected clock_offset_us, disk_factor, drop_to, drop_from");
            }
        }
        long offset = longField(body, "clock_offset_us");
        if (Math.abs(offset) > CLOCK_OFFSET_MAX_MICROS) {
            throw new IllegalArgumentException("clock_offset_us must be within a day either way, got " + offset);
        }
        double factor = factorField(body);
        state = new State(offset, factor, names(body, "drop_to"), names(body, "drop_from"));
        changes.incrementAndGet();
    }

    /** The state and what it did so far, as {@code GET /chaos} shows it. */
    public JsonObject toJson() {
        State s = state;
        JsonArray seen;
        String members;
        long viewsNow;
        JsonArray links;
        long linkChanges;
        synchronized (this) {
            links = new JsonArray();
            peerLinks.forEach(l -> links.add(l.copy()));
            linkChanges = peerLinkChanges;
            seen = new JsonArray();
            views.forEach(v -> seen.add(v.copy()));
            members = view;
            viewsNow = viewChanges;
        }
        return new JsonObject()
                .put("enabled", enabled)
                .put("clock_offset_us", s.clockOffsetMicros())
                .put("disk_factor", s.diskFactor())
                .put("drop_to", new JsonArray(s.dropTo().stream().sorted().toList()))
                .put("drop_from", new JsonArray(s.dropFrom().stream().sorted().toList()))
                .put("changes", changes.get())
                .put("peer_messages_dropped", peerDropped.get())
                .put("store_ops_slowed", storeSlowed.get())
                .put("members", members)
                .put("view_changes", viewsNow)
                .put("views", seen)
                .put("peer_link_changes", linkChanges)
                .put("peer_links", links);
    }

    private static long longField(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException(field + " must be an integer, got " + v);
        }
        return ((Number) v).longValue();
    }

    private static double factorField(JsonObject body) {
        Object v = body.getValue("disk_factor");
        if (v == null) {
            return 1;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= 1 && n.doubleValue() <= DISK_FACTOR_MAX)) {
            throw new IllegalArgumentException("disk_factor must be a number from 1 to " + (int) DISK_FACTOR_MAX + ", got " + v);
        }
        return n.doubleValue();
    }

    private static Set<String> names(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return Set.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw new IllegalArgumentException(field + " must be an array of node names, got " + v);
        }
        Set<String> out = new HashSet<>();
        for (Object o : array) {
            if (!(o instanceof String name) || name.isEmpty()) {
                throw new IllegalArgumentException(field + " must hold node names, got " + o);
            }
            out.add(name);
        }
        return Set.copyOf(out);
    }
}
