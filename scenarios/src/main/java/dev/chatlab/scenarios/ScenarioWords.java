package dev.chatlab.scenarios;

import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Sequencing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The words a scenario file uses for strategies, both ways, so that the loader and the reports agree. */
final class ScenarioWords {

    static final List<String> SEQUENCING = List.of("owner-counter", "snowflake", "store-counter");
    static final List<String> FANOUT = List.of("push", "pull", "hybrid");
    static final List<String> ROUTING = List.of("direct", "pubsub");
    static final List<String> OWNERSHIP = List.of("follow-membership", "pinned");
    static final List<String> RECONNECT = List.of("immediate", "jitter", "backoff");
    static final List<String> LEVEL = List.of("full", "coarse");
    static final List<String> STORE_MODEL = List.of("lsm", "btree");
    static final List<String> STORE_KIND = List.of("postgres", "postgres-sharded", "cassandra", "rocksdb");
    static final List<String> CACHE_KIND = List.of("redis");
    static final List<String> PRESENCE = List.of("hazelcast", "redis");
    static final List<String> DURABILITY = List.of("memory", "process-crash", "fsync");

    private ScenarioWords() {
    }

    static String sequencing(Sequencing s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static Map<String, Object> reconnect(ReconnectPolicy policy) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (policy instanceof ReconnectPolicy.Immediate i) {
            out.put("reconnect", "immediate");
            out.put("pause", Durations.format(i.pauseMicros()));
        } else if (policy instanceof ReconnectPolicy.UniformJitter j) {
            out.put("reconnect", "jitter");
            out.put("jitter_window", Durations.format(j.windowMicros()));
        } else if (policy instanceof ReconnectPolicy.DecorrelatedBackoff b) {
            out.put("reconnect", "backoff");
            out.put("backoff_base", Durations.format(b.baseMicros()));
            out.put("backoff_cap", Durations.format(b.capMicros()));
        }
        return out;
    }
}
