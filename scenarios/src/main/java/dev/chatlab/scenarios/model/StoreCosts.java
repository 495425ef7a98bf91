package dev.chatlab.scenarios.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each store operation costs the shared store at the full level, from a {@code kind: store}
 * model file: service times per operation kind (the lower-case simple names of chat-core's
 * {@code StoreOp} classes: {@code append}, {@code readrange}, {@code claim}), the rest at the
 * default. Operations are served one at a time, in arrival order; or, with {@code queueing: none},
 * each takes its own time and none waits for another: the times are latencies measured at the
 * node, the store's own queueing and the link included (what {@code chatlab calibrate} measures).
 *
 * @param source     the model file's path
 * @param concurrent whether operations take their time side by side ({@code queueing: none})
 */
public record StoreCosts(String source, Map<String, ServiceTime> ops, ServiceTime opDefault, boolean concurrent) {

    public StoreCosts {
        ops = Map.copyOf(ops);
    }

    /** Served one at a time. */
    public StoreCosts(String source, Map<String, ServiceTime> ops, ServiceTime opDefault) {
        this(source, ops, opDefault, false);
    }

    public ServiceTime op(String kind) {
        return ops.getOrDefault(kind, opDefault);
    }

    public Map<String, Object> words() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        if (concurrent) {
            out.put("queueing", "none");
        }
        out.putAll(NodeCosts.words(ops));
        out.put("default", opDefault.words());
        return out;
    }
}
