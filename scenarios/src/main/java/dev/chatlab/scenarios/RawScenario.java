package dev.chatlab.scenarios;

import com.fasterxml.jackson.annotation.JsonCreator;
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
    @JsonProperty("level") String level = "full";
    @JsonProperty("duration") String duration = "10s";
    @JsonProperty("quiesce_at") String quiesceAt;
    @JsonProperty("converge_within") String convergeWithin;
    @JsonProperty("topology") Topology topology = new Topology();
    @JsonProperty("population") Population population = new Population();
    @JsonProperty("workload") Workload workload = new Workload();
    @JsonProperty("client") Client client = new Client();
    @JsonProperty("network") Network network = new Network();
    @JsonProperty("store") Store store = new Store();
    @JsonProperty("server") Server server = new Server();
    @JsonProperty("faults") Faults faults = new Faults();
    /** How a real cluster's nodes find each other and carry topics: hazelcast (the default) or redis. */
    @JsonProperty("presence") String presence;
    /** Settings of the coarse (aggregate) model; read only with {@code level: coarse}. */
    @JsonProperty("coarse") java.util.Map<String, Object> coarse;
    /** Service-level objectives, each a string such as {@code p99(send_to_ack) < 1s}. */
    @JsonProperty("slo") List<String> slo;

    static final class Topology {
        @JsonProperty("nodes") int nodes = 3;
        @JsonProperty("sequencing") String sequencing = "owner-counter";
        @JsonProperty("fanout") String fanout = "hybrid";
        @JsonProperty("hybrid_threshold") int hybridThreshold = 256;
        @JsonProperty("routing") String routing = "direct";
        @JsonProperty("fencing") boolean fencing = true;
        /** Unset: pinned with a node-local store (rocksdb), else follow-membership. */
        @JsonProperty("ownership") String ownership;
        @JsonProperty("presence_ttl") String presenceTtl = "30s";
    }

    static final class Population {
        @JsonProperty("users") int users = 20;
        @JsonProperty("devices_per_user") int devicesPerUser = 2;
        @JsonProperty("chats") int chats = 10;
        @JsonProperty("group_size") int groupSize = 3;
        @JsonProperty("mega_chats") int megaChats = 0;
        @JsonProperty("mega_group_size") int megaGroupSize = 0;
        /** Null: every chat of group_size members. */
        @JsonProperty("group_sizes") Shape groupSizes;
    }

    /**
     * A distribution: a word ({@code fixed}, {@code uniform}, {@code zipf}) or a mapping such as
     * {@code {distribution: zipf, exponent: 1.2, max: 40}}.
     */
    static final class Shape {
        @JsonProperty("distribution") String distribution;
        @JsonProperty("exponent") Double exponent;
        @JsonProperty("max") Integer max;

        Shape() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        Shape(String distribution) {
            this.distribution = distribution;
        }
    }

    static final class Diurnal {
        @JsonProperty("amplitude") Double amplitude;
        @JsonProperty("period") String period;
    }

    static final class Workload {
        @JsonProperty("messages_per_second") double messagesPerSecond = 50;
        @JsonProperty("read_probability") double readProbability = 0.2;
        @JsonProperty("typing_probability") double typingProbability = 0.1;
        @JsonProperty("watch_presence") boolean watchPresence = false;
        @JsonProperty("churn_per_second") double churnPerSecond = 0;
        @JsonProperty("offline_time") String offlineTime = "2s";
        /** Null: a constant rate. */
        @JsonProperty("diurnal") Diurnal diurnal;
        /** Null: uniform. */
        @JsonProperty("user_activity") Shape userActivity;
        @JsonProperty("think_time") String thinkTime = "0s";
        /** Null: none. */
        @JsonProperty("warmup") String warmup;
    }

    static final class Client {
        @JsonProperty("reconnect") String reconnect = "backoff";
        @JsonProperty("jitter_window") String jitterWindow = "1s";
        @JsonProperty("backoff_base") String backoffBase = "100ms";
        @JsonProperty("backoff_cap") String backoffCap = "10s";
        @JsonProperty("pause") String pause = "10ms";
        @JsonProperty("heartbeat") String heartbeat = "10s";
        /** Null: the simulator's default; a real run paces its logins itself; "paced": the simulator does as the real run. */
        @JsonProperty("login_spread") String loginSpread;
        /** Null: devices are independent; a duration: every device's frames go through one loop costing that each. */
        @JsonProperty("fleet_frame") String fleetFrame;
    }

    static final class Link {
        @JsonProperty("median") String median;
        @JsonProperty("sigma") Double sigma;
        @JsonProperty("jitter") String jitter;
        @JsonProperty("loss") Double loss;
    }

    static final class Network {
        @JsonProperty("client") Link client = new Link();
        @JsonProperty("node") Link node = new Link();
        @JsonProperty("store") Link store = new Link();
        @JsonProperty("failure_detection") String failureDetection = "500ms";
        @JsonProperty("connect_timeout") String connectTimeout = "3s";
    }

    /** Either a mapping, or a plain word: the real store's kind ({@code store: postgres-sharded}). */
    static final class Store {
        @JsonProperty("kind") String kind;
        @JsonProperty("shards") Integer shards;
        @JsonProperty("durability") String durability;
        @JsonProperty("model") String model;
        @JsonProperty("write") String write;
        @JsonProperty("read") String read;
        @JsonProperty("sigma") Double sigma;
        @JsonProperty("compaction_every") Integer compactionEvery;
        @JsonProperty("compaction_stall") String compactionStall;
        @JsonProperty("cache") Cache cache;

        Store() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        Store(String kind) {
            this.kind = kind;
        }
    }

    static final class Server {
        /** {@code none}, {@code {model: FILE}}, or the costs written out ({@code {cores: 2, connect: ...}}). */
        @JsonProperty("costs") com.fasterxml.jackson.databind.JsonNode costs;
    }

    /** The recent-message cache in front of the real store: a word ({@code cache: redis}) or {@code {kind: redis, recent: 200}}. */
    static final class Cache {
        @JsonProperty("kind") String kind;
        @JsonProperty("recent") Integer recent;

        Cache() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        Cache(String kind) {
            this.kind = kind;
        }
    }

    /** Either a plain list (the schedule) or a mapping with a schedule and a swarm. */
    static final class Faults {
        @JsonProperty("schedule") List<Fault> schedule = List.of();
        @JsonProperty("swarm") Swarm swarm;

        Faults() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        Faults(List<Fault> schedule) {
            this.schedule = schedule;
        }
    }

    static final class Fault {
        @JsonProperty("at") String at;
        @JsonProperty("kill") String kill;
        @JsonProperty("restart") String restart;
        @JsonProperty("skew") String skew;
        @JsonProperty("by") String by;
        @JsonProperty("partition") List<List<String>> partition;
        @JsonProperty("cut") List<String> cut;
        @JsonProperty("to") List<String> to;
        @JsonProperty("heal") String heal;
        @JsonProperty("spike") List<String> spike;
        @JsonProperty("slow_disk") Double slowDisk;
        @JsonProperty("disconnect") String disconnect;
        @JsonProperty("store_kill") String storeKill;
        @JsonProperty("for") String lasts;
    }

    static final class Swarm {
        @JsonProperty("kinds") List<String> kinds;
        @JsonProperty("faults_min") int faultsMin = 1;
        @JsonProperty("faults_max") int faultsMax = 5;
        @JsonProperty("from") String from;
        @JsonProperty("until") String until;
        @JsonProperty("down_max") String downMax = "2s";
        @JsonProperty("spike_max") String spikeMax = "300ms";
        @JsonProperty("skew_max") String skewMax = "2s";
        @JsonProperty("slow_factor_max") double slowFactorMax = 20;
    }
}
