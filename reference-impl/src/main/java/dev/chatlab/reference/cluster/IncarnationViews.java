package dev.chatlab.reference.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns "these nodes, under these incarnation ids" into the views a node is given: a name that
 * comes back under a new id (killed and restarted before the others noticed) is reported gone and
 * then back, so the state machines treat it as the new incarnation it is. Shared by the
 * memberships on Hazelcast and on Redis.
 *
 * <pre>{@code
 * IncarnationViews views = new IncarnationViews("n1");
 * views.report(Map.of("n1", id1, "n2", id2), onChange);
 * }</pre>
 */
final class IncarnationViews {

    private final String self;
    private final Map<String, Object> incarnations = new HashMap<>();

    /** {@code self}'s own new id is not a restart (a Hazelcast merge gives it one): it never leaves its own view. */
    IncarnationViews(String self) {
        this.self = self;
    }

    /** Reports {@code now} (name to incarnation id), preceded by a view without the names that restarted. */
    void report(Map<String, ?> now, Consumer<List<String>> onChange) {
        TreeSet<String> restarted = new TreeSet<>();
        for (Map.Entry<String, ?> e : now.entrySet()) {
            Object before = incarnations.get(e.getKey());
            if (before != null && !before.equals(e.getValue()) && !e.getKey().equals(self)) {
                restarted.add(e.getKey());
            }
        }
        if (!restarted.isEmpty()) {
            TreeSet<String> without = new TreeSet<>(now.keySet());
            without.removeAll(restarted);
            onChange.accept(List.copyOf(without));
        }
        incarnations.clear();
        incarnations.putAll(now);
        onChange.accept(List.copyOf(new TreeSet<>(now.keySet())));
    }

    /** Whether {@code now} is the view last reported, incarnations included. */
    boolean unchanged(Map<String, ?> now) {
        return incarnations.equals(now);
    }
}
