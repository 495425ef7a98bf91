package dev.chatlab.scenarios.coarse;

import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.scenarios.model.ServiceTime;

import java.util.List;

/**
 * Everything the coarse model needs, in its own terms: built from a scenario by {@link CoarseRun}
 * (scenario file keys in brackets), or directly in tests. Times are microseconds of virtual time.
 *
 * <pre>{@code
 * CoarseConfig c = CoarseConfig.defaults("tiny", 10, 20_000, 60_000_000)   // 10 nodes, 20k devices, 60 s
 *         .withMessagesPerSecond(500)
 *         .withFaults(List.of(CoarseFault.kill(20_000_000, 3, 30_000_000)));
 * }</pre>
 *
 * @param devices                  users x devices per user [population.users, population.devices_per_user]
 * @param devicesPerUser           devices per user: a message also goes to the sender's other devices
 * @param connectionsPerServerMax  sessions a server accepts; a full server refuses [coarse.connections_per_server, 100k]
 * @param messagesPerSecond        mean send rate of the whole population, Poisson [workload.messages_per_second]
 * @param diurnalAmplitude         rate swings by this fraction around the mean, sinusoidally [coarse.diurnal_amplitude, 0]
 * @param diurnalPeriodMicros      over this period [coarse.diurnal_period, 24h]
 * @param groupSizeMax             chat sizes are drawn Zipf over 2..this [coarse.group_size_max, else population.group_size]
 * @param groupZipfExponent        the Zipf exponent of chat sizes [coarse.group_zipf_exponent, 1.2]
 * @param megaFraction             share of messages sent to mega groups [population.mega_chats / (chats + mega_chats)]
 * @param megaGroupSize            members of a mega group [population.mega_group_size]
 * @param pullAboveMembers         chats larger than this are pulled, not pushed [topology.fanout / hybrid_threshold]
 * @param pullIntervalMicros       a member of a pulled chat polls this often [coarse.pull_interval, 30s]
 * @param serverThreads            k of each chat server's M/G/k queue [coarse.server_threads, 8]
 * @param sendServiceMedianMicros  a server's work to accept one message [coarse.send_service, 200us]
 * @param deliverServiceMedianMicros a server's work to push one message to one device [coarse.deliver_service, 50us]
 * @param connectServiceMedianMicros a server's work to accept one connection: TLS, auth, session sync [coarse.connect_service, 2ms]
 * @param serviceSigma             log-space spread of those service times [coarse.service_sigma, 0.5]
 * @param storeConcurrency         requests the shared store serves at once [coarse.store_concurrency, 64]
 * @param store                    the store's cost model [store]
 * @param clientLinkMedianMicros   device to server one-way latency, log-normal [network.client.median]
 * @param nodeLinkMedianMicros     server to server [network.node.median]
 * @param storeLinkMedianMicros    server to store [network.store.median]
 * @param linkSigma                log-space spread of all links [network.client.sigma]
 * @param failureDetectionMicros   a device notices its server is gone after this [network.failure_detection]
 * @param connectTimeoutMicros     a connection attempt not served within this is abandoned and retried [network.connect_timeout]
 * @param reconnect                the devices' reconnect strategy [client.reconnect]
 * @param quiesceAtMicros          no message is generated and no fault fires from here [quiesce_at]
 * @param intervalMicros           length of one time-series interval [coarse.interval, 1s]
 * @param sessionServiceMedianMicros a server's work once a (re)connected device's session is open: directory
 *                                 updates, the session's sync; it delays whatever queues behind it, not the
 *                                 connection [coarse.session_service, 0]
 * @param messageSample            one message in this many is simulated as events and stands for the others in
 *                                 every count, histogram and busy time [coarse.message_sample, 1]
 * @param chats                    chats whose owner claims each from the store before it writes the chat's first
 *                                 message, again after the chat moved to another owner [population.chats +
 *                                 mega_chats; 0: claims not modelled]
 */
public record CoarseConfig(String name, long durationMicros, int nodes, long devices, int devicesPerUser,
                           int connectionsPerServerMax, double messagesPerSecond, double diurnalAmplitude,
                           long diurnalPeriodMicros, int groupSizeMax, double groupZipfExponent, double megaFraction,
                           int megaGroupSize, int pullAboveMembers, long pullIntervalMicros, int serverThreads,
                           long sendServiceMedianMicros, long deliverServiceMedianMicros,
                           long connectServiceMedianMicros, double serviceSigma, int storeConcurrency, StoreCost store,
                           long clientLinkMedianMicros, long nodeLinkMedianMicros, long storeLinkMedianMicros,
                           double linkSigma, long failureDetectionMicros, long connectTimeoutMicros,
                           ReconnectPolicy reconnect, long quiesceAtMicros, long intervalMicros,
                           List<CoarseFault> faults, int messageSample, long sessionServiceMedianMicros, long chats) {

    /** The seed's figure: one chat server holds 100k connections. */
    public static final int CONNECTIONS_PER_SERVER = 100_000;
    /** A group of more members than this cannot be encoded in one event (and is pulled anyway). */
    static final int GROUP_SIZE_LIMIT = (1 << 22) - 1;
    /** Beyond this a sampled message's stand-in work holds a server thread for whole seconds: the queues stop meaning much. */
    public static final int MESSAGE_SAMPLE_MAX = 1_000;

    public CoarseConfig {
        require(sessionServiceMedianMicros >= 0, "session service must not be negative");
        require(chats >= 0, "chats must not be negative");
        faults = List.copyOf(faults);
        require(durationMicros > 0, "duration must be positive");
        require(nodes > 0 && nodes <= 65_535, "nodes must be in 1..65535");
        require(devices > 0, "there must be at least one device");
        require(devicesPerUser > 0, "devices per user must be positive");
        require(connectionsPerServerMax > 0, "connections per server must be positive");
        require((long) connectionsPerServerMax * nodes >= devices,
                "the cluster cannot hold every device: " + nodes + " nodes x " + connectionsPerServerMax
                        + " connections < " + devices + " devices (add nodes)");
        require(messagesPerSecond >= 0, "messages per second must not be negative");
        require(diurnalAmplitude >= 0 && diurnalAmplitude < 1, "diurnal amplitude must be in [0, 1)");
        require(groupSizeMax >= 2 && groupSizeMax <= GROUP_SIZE_LIMIT, "group size max must be in 2.." + GROUP_SIZE_LIMIT);
        require(megaFraction >= 0 && megaFraction <= 1, "mega fraction must be in [0, 1]");
        require(megaGroupSize >= 0 && megaGroupSize <= GROUP_SIZE_LIMIT, "mega group size too large");
        require(serverThreads > 0 && storeConcurrency > 0, "server threads and store concurrency must be positive");
        require(intervalMicros > 0, "interval must be positive");
        require(messageSample >= 1 && messageSample <= MESSAGE_SAMPLE_MAX, "message sample must be in 1.." + MESSAGE_SAMPLE_MAX);
        require(reconnect != null && store != null, "reconnect and store are required");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults for everything but the size of the world and the run. */
    public static CoarseConfig defaults(String name, int nodes, long devices, long durationMicros) {
        return new CoarseConfig(name, durationMicros, nodes, devices, 1, CONNECTIONS_PER_SERVER, 100, 0,
                86_400_000_000L, 8, 1.2, 0, 0, 256, 30_000_000, 8, 200, 50, 2_000, 0.5, 64, StoreCost.lsm(),
                20_000, 200, 300, 0.5, 500_000, 3_000_000, new ReconnectPolicy.DecorrelatedBackoff(100_000, 10_000_000),
                durationMicros, 1_000_000, List.of(), 1, 0, 0);
    }

    public CoarseConfig withMessagesPerSecond(double rate) {
        return new CoarseConfig(name, durationMicros, nodes, devices, devicesPerUser, connectionsPerServerMax, rate,
                diurnalAmplitude, diurnalPeriodMicros, groupSizeMax, groupZipfExponent, megaFraction, megaGroupSize,
                pullAboveMembers, pullIntervalMicros, serverThreads, sendServiceMedianMicros, deliverServiceMedianMicros,
                connectServiceMedianMicros, serviceSigma, storeConcurrency, store, clientLinkMedianMicros,
                nodeLinkMedianMicros, storeLinkMedianMicros, linkSigma, failureDetectionMicros, connectTimeoutMicros,
                reconnect, quiesceAtMicros, intervalMicros, faults, messageSample, sessionServiceMedianMicros, chats);
    }

    public CoarseConfig withReconnect(ReconnectPolicy policy) {
        return new CoarseConfig(name, durationMicros, nodes, devices, devicesPerUser, connectionsPerServerMax,
                messagesPerSecond, diurnalAmplitude, diurnalPeriodMicros, groupSizeMax, groupZipfExponent, megaFraction,
                megaGroupSize, pullAboveMembers, pullIntervalMicros, serverThreads, sendServiceMedianMicros,
                deliverServiceMedianMicros, connectServiceMedianMicros, serviceSigma, storeConcurrency, store,
                clientLinkMedianMicros, nodeLinkMedianMicros, storeLinkMedianMicros, linkSigma, failureDetectionMicros,
                connectTimeoutMicros, policy, quiesceAtMicros, intervalMicros, faults, messageSample, sessionServiceMedianMicros, chats);
    }

    public CoarseConfig withFaults(List<CoarseFault> newFaults) {
        return new CoarseConfig(name, durationMicros, nodes, devices, devicesPerUser, connectionsPerServerMax,
                messagesPerSecond, diurnalAmplitude, diurnalPeriodMicros, groupSizeMax, groupZipfExponent, megaFraction,
                megaGroupSize, pullAboveMembers, pullIntervalMicros, serverThreads, sendServiceMedianMicros,
                deliverServiceMedianMicros, connectServiceMedianMicros, serviceSigma, storeConcurrency, store,
                clientLinkMedianMicros, nodeLinkMedianMicros, storeLinkMedianMicros, linkSigma, failureDetectionMicros,
                connectTimeoutMicros, reconnect, quiesceAtMicros, intervalMicros, newFaults, messageSample, sessionServiceMedianMicros, chats);
    }

    public CoarseConfig withChats(long newChats) {
        return new CoarseConfig(name, durationMicros, nodes, devices, devicesPerUser, connectionsPerServerMax,
                messagesPerSecond, diurnalAmplitude, diurnalPeriodMicros, groupSizeMax, groupZipfExponent, megaFraction,
                megaGroupSize, pullAboveMembers, pullIntervalMicros, serverThreads, sendServiceMedianMicros,
                deliverServiceMedianMicros, connectServiceMedianMicros, serviceSigma, storeConcurrency, store,
                clientLinkMedianMicros, nodeLinkMedianMicros, storeLinkMedianMicros, linkSigma, failureDetectionMicros,
                connectTimeoutMicros, reconnect, quiesceAtMicros, intervalMicros, faults, messageSample, sessionServiceMedianMicros,
                newChats);
    }

    public CoarseConfig withStore(StoreCost newStore) {
        return new CoarseConfig(name, durationMicros, nodes, devices, devicesPerUser, connectionsPerServerMax,
                messagesPerSecond, diurnalAmplitude, diurnalPeriodMicros, groupSizeMax, groupZipfExponent, megaFraction,
                megaGroupSize, pullAboveMembers, pullIntervalMicros, serverThreads, sendServiceMedianMicros,
                deliverServiceMedianMicros, connectServiceMedianMicros, serviceSigma, storeConcurrency, newStore,
                clientLinkMedianMicros, nodeLinkMedianMicros, storeLinkMedianMicros, linkSigma, failureDetectionMicros,
                connectTimeoutMicros, reconnect, quiesceAtMicros, intervalMicros, faults, messageSample, sessionServiceMedianMicros, chats);
    }

    /**
     * The shared store's cost model. LSM: a write appends to a log and a memtable (cheap); every
     * {@code compactionEveryWrites} writes a compaction holds one of the store's workers for
     * {@code compactionStallMicros}. B-tree: a write rewrites pages down a tree whose depth grows
     * with the rows stored ({@code fanout} keys per page), so it costs {@code writeMedianMicros}
     * per level below the root. MODEL: a write takes a draw of {@code append}, the append time a
     * {@code kind: store} model file measured on a real store ({@code source}); the file's times
     * already include whatever the engine does (tree depth, compaction), so nothing is added to them,
     * and {@code writeMedianMicros} is their mean. A delivered watermark's write takes a draw of the
     * file's {@code raisewatermark} time ({@code watermark}; its {@code default} when it has none).
     */
    public record StoreCost(Kind kind, long writeMedianMicros, double sigma, int compactionEveryWrites,
                            long compactionStallMicros, long rowsAtStart, int fanout, String source,
                            ServiceTime append, ServiceTime watermark) {

        public enum Kind { LSM, BTREE, MODEL }

        public StoreCost {
            if ((kind == Kind.MODEL) != (append != null && source != null)) {
                throw new IllegalArgumentException("a store cost has a model file's append time if and only if it is kind MODEL");
            }
        }

        /** The LSM or B-tree cost model, no model file. */
        public StoreCost(Kind kind, long writeMedianMicros, double sigma, int compactionEveryWrites,
                         long compactionStallMicros, long rowsAtStart, int fanout) {
            this(kind, writeMedianMicros, sigma, compactionEveryWrites, compactionStallMicros, rowsAtStart, fanout, null,
                    null, null);
        }

        /** A message's write costs a draw of a model file's append time, a delivered watermark's its raisewatermark time. */
        public static StoreCost measured(String source, ServiceTime append, ServiceTime watermark) {
            return new StoreCost(Kind.MODEL, Math.max(1, Math.round(append.meanMicros())), 0, 0, 0, 0, 0, source, append,
                    watermark);
        }

        public static StoreCost lsm() {
            return new StoreCost(Kind.LSM, 40, 0.5, 2_000, 20_000, 0, 0);
        }

        /** A tree of 100 million rows, 200 keys a page: three levels below the root. */
        public static StoreCost btree() {
            return new StoreCost(Kind.BTREE, 100, 0.5, 0, 0, 100_000_000, 200);
        }

        public String word() {
            return switch (kind) {
                case LSM -> "lsm";
                case BTREE -> "btree";
                case MODEL -> "model";
            };
        }
    }

    /** A fault the coarse model can apply; others in a scenario are reported as not modelled. */
    public record CoarseFault(long atMicros, Kind kind, int node, long durationMicros, double factor, String label) {

        public enum Kind {
            /** The server dies: its sessions drop and its queue is lost; back (empty) after the duration if positive. */
            KILL("kill"),
            /** A killed server comes back, empty. */
            RESTART("restart"),
            /** Every session of the server drops at once (a thundering herd), the server stays up. */
            MASS_DISCONNECT("mass-disconnect"),
            /** The store's service times are multiplied by {@code factor} for the duration. */
            SLOW_STORE("slow-disk");

            /** The fault's kind as scenario files and the full level's ledger name it. */
            public final String word;

            Kind(String word) {
                this.word = word;
            }
        }

        public static CoarseFault kill(long atMicros, int node, long downMicros) {
            return new CoarseFault(atMicros, Kind.KILL, node, downMicros, 1, "kill n" + (node + 1));
        }

        public static CoarseFault restart(long atMicros, int node) {
            return new CoarseFault(atMicros, Kind.RESTART, node, 0, 1, "restart n" + (node + 1));
        }

        public static CoarseFault massDisconnect(long atMicros, int node) {
            return new CoarseFault(atMicros, Kind.MASS_DISCONNECT, node, 0, 1, "mass-disconnect n" + (node + 1));
        }

        public static CoarseFault slowStore(long atMicros, double factor, long durationMicros) {
            return new CoarseFault(atMicros, Kind.SLOW_STORE, -1, durationMicros, factor, "slow-disk x" + factor);
        }
    }
}
