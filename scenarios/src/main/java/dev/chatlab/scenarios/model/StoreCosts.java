package dev.chatlab.scenarios.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each store operation costs the shared store at the full level, from a {@code kind: store}
 * model file: service times per operation kind (the lower-case simple names of chat-core's
 * {@code StoreOp} classes: {@code append}, {@code readrange}, {@code claim}), the rest at the
 * default. Operations are served one at a time, in arrival order.
 *
 * @param source the model file's path
 */
public record StoreCosts(String source, Map<String, ServiceTime> ops, ServiceTime opDefault) {

    public StoreCosts {
        ops = Map.copyOf(ops);
    }

    public ServiceTime op(String kind) {
        return ops.getOrDefault(kind, opDefault);
    }

    public Map<String, Object> words() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.putAll(NodeCosts.words(ops));
        out.put("default", opDefault.words());
        return out;
    }
}
