package dev.chatlab.scenarios;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The scenario file exactly as written, bound by Jackson: every key with its default, no checks
 * beyond types. {@link ScenarioLoader} validates it into a {@link Scenario}. Unknown keys are
 * refused by Jackson, which lists the known ones from these fields.
 */
final class RawScenario {
    @JsonProperty("name") String name;
    @JsonProperty("seed") Long seed;
    @JsonProperty("duration") String duration = "10s";
    @JsonProperty("quiesce_at") String quiesceAt;
    @JsonProperty("topology") Topology topology = new Topology();
    @JsonProperty("population") Population population = new Population();
    @JsonProperty("workload") Workload workload = new Workload();
    @JsonProperty("client") Client client = new Client();
    @JsonProperty("faults") List<Fault> faults = List.of();

    static final class Topology {
        @JsonProperty("nodes") int nodes = 3;
        @JsonProperty("sequencing") String sequencing = "owner-counter";
        @JsonProperty("fanout") String fanout = "hybrid";
        @JsonProperty("hybrid_threshold") int hybridThreshold = 256;
        @JsonProperty("routing") String routing = "direct";
    }

    static final class Population {
        @JsonProperty("users") int users = 20;
        @JsonProperty("devices_per_user") int devicesPerUser = 2;
        @JsonProperty("chats") int chats = 10;
        @JsonProperty("group_size") int groupSize = 3;
    }

    static final class Workload {
        @JsonProperty("messages_per_second") double messagesPerSecond = 50;
        @JsonProperty("read_probability") double readProbability = 0.2;
        @JsonProperty("typing_probability") double typingProbability = 0.1;
    }

    static final class Client {
        @JsonProperty("reconnect") String reconnect = "backoff";
        @JsonProperty("jitter_window") String jitterWindow = "1s";
        @JsonProperty("backoff_base") String backoffBase = "100ms";
        @JsonProperty("backoff_cap") String backoffCap = "10s";
        @JsonProperty("pause") String pause = "10ms";
    }

    static final class Fault {
        @JsonProperty("at") String at;
        @JsonProperty("kill") String kill;
        @JsonProperty("restart") String restart;
        @JsonProperty("skew") String skew;
        @JsonProperty("by") String by;
    }
}
