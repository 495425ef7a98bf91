package dev.chatlab.scenarios.coarse;

import dev.chatlab.scenarios.coarse.CoarseConfig.CoarseFault;
import dev.chatlab.scenarios.coarse.CoarseConfig.StoreCost;
import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.random.Distributions;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;
import dev.chatlab.stats.BusiestSecond;
import org.apache.commons.math3.distribution.ZipfDistribution;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate world on sim-core's kernel: devices are counts per server, each chat server is an
 * M/G/k queue (k threads, log-normal service times), the shared store is an M/G/c queue with an
 * LSM or B-tree cost model, messages arrive as a (diurnal) Poisson process, chat sizes are Zipf
 * draws, and a killed server drops its connections, which come back by the reconnect strategy
 * through the other servers' queues: the thundering herd. Every event is four primitives (no
 * allocation per event); all randomness comes from named streams of the run's seed.
 *
 * <p>A message's path: device -> its server (client link) -> server queue (send service) -> store
 * (store link) -> store queue (write cost) -> ack to the device (store link + client link); then
 * fan-out from the sender's server: each online recipient device's server gets a batch (node
 * link), serves it (deliver service per device) and pushes it (client link). Offline recipients are
 * counted as deferred (push notification, synced on reconnect). Chats above the pull threshold are
 * pulled: online members see the message at their next poll. Latency is measured from the moment
 * the device meant to send (a send while offline waits in the device's outbox), so a herd shows in
 * the percentiles instead of being hidden (no coordinated omission).
 *
 * <pre>{@code
 * CoarseModel model = new CoarseModel(config, seed, progress);
 * model.run();
 * Map<String, Long> counts = model.counts();
 * }</pre>
 */
final class CoarseModel implements EventHandler {

    // event kinds: the low 4 bits of the kind; the node's incarnation (epoch) above them
    static final int ARRIVAL = 0;
    static final int NODE_ARRIVE = 1;
    static final int NODE_DONE = 2;
    static final int STORE_ARRIVE = 3;
    static final int STORE_DONE = 4;
    static final int RECONNECT = 5;
    static final int TICK = 6;
    static final int STALL_DONE = 7;
    static final int WELCOME = 8;

    // a job is one long: type (2 bits) | field (22 bits) | time (40 bits)
    static final long SEND = 0;
    static final long DELIVER = 1;
    static final long CONNECT = 2;
    /**
     * In the store's queue (the same two bits as CONNECT, which only servers queue): the claim of a
     * chat by its owner, which the chat's first message waits for; the rest of the job is that message's.
     */
    static final long CLAIM = 2;
    /** In the store's queue: writes of delivered watermarks, the field how many (one per device that got the message). */
    static final long WATERMARK = 3;
    /** In a server's queue (the same two bits as WATERMARK, which only the store queues): a new session's work. */
    static final long SESSION = 3;
    private static final int TIME_BITS = 40;
    private static final long TIME_MASK = (1L << TIME_BITS) - 1;
    private static final long FIELD_MASK = (1L << 22) - 1;
    private static final int ATTEMPT_BITS = 6;
    private static final long ATTEMPT_MAX = (1L << ATTEMPT_BITS) - 1;
    private static final long DELAY_MS_MAX = (1L << (22 - ATTEMPT_BITS)) - 1;
    /** Pulled chats: latency is recorded in this many equal strata of the poll interval instead of per member. */
    private static final int PULL_STRATA = 8;

    static long job(long type, long time, long field) {
        return type << 62 | (field & FIELD_MASK) << TIME_BITS | (time & TIME_MASK);
    }

    static long typeOf(long job) {
        return job >>> 62;
    }

    static long timeOf(long job) {
        return job & TIME_MASK;
    }

    static long fieldOf(long job) {
        return (job >>> TIME_BITS) & FIELD_MASK;
    }

    private final CoarseConfig c;
    /** Messages one simulated message stands for (coarse.message_sample): its counts and histogram weight. */
    private final long weight;
    /** The mean of a log-normal is its median times this: the stand-in work of the messages not simulated. */
    private final double serviceMeanFactor;
    private final double storeMeanFactor;
    private final Simulation sim;
    private final int self;
    private final PrintStream progress;

    private final RandomStream arrivals;
    private final RandomStream senders;
    private final RandomStream groups;
    private final RandomStream service;
    private final RandomStream links;
    private final RandomStream storeRandom;
    private final RandomStream reconnects;
    private final RandomStream fanout;
    private final RandomStream claims;
    /**
     * Chats their current owner has not claimed yet: all at the start, a dead server's share again
     * after a kill (its chats move), all again after a restart (on a join every owner claims its
     * chats afresh). A message is its chat's first for its owner with the chance unclaimed/chats.
     */
    private double unclaimed;
    /** The busiest second of welcomes wherever it falls, as the full level and real runs count it. */
    private final BusiestSecond connectPeak = new BusiestSecond();
    private final ZipfDistribution groupSizes;

    // servers
    private final NodeCounts connections;
    private final boolean[] live;
    private final int[] epoch;
    private final long[] pendingConnects;
    private final int[] busy;
    private final LongRing[] queues;
    private final long[] queueMax;
    private final long[] busyMicros;
    /** Work the store's workers were given, compactions included: how close the store came to saturation. */
    private long storeBusyMicros;
    private long storeQueueMax;
    private final long[] batch;
    private final int[] touched;

    // store
    private final LongRing storeQueue = new LongRing(1024);
    private final LongRing storeTags = new LongRing(1024);
    private int storeBusy;
    private long storeWrites;
    private double storeSlowFactor = 1;
    private final double logRowsAtStart;

    // devices' outboxes (sends made while offline, and sends whose server died), oldest first
    private final LongRing outbox = new LongRing(1024);
    private double outboxCredit;

    // measurements
    private final LatencyHistogram ackAll = new LatencyHistogram();
    private final LatencyHistogram deliverAll = new LatencyHistogram();
    private final LatencyHistogram ackInterval = new LatencyHistogram();
    private final LatencyHistogram deliverInterval = new LatencyHistogram();
    private final LatencyHistogram pullAll = new LatencyHistogram();
    /** Dropped to connected again, per device; the full level's reconnect_us. */
    private final LatencyHistogram reconnectAll = new LatencyHistogram();
    /**
     * When each device still away lost its connection, oldest first. A device is a count, not an
     * identity, so a reconnection is matched with the oldest drop: exact for the devices of one
     * kill (all dropped at once), and for several only the order within the herds is lost.
     */
    private final LongRing droppedAt = new LongRing(1024);
    private final Series series;
    private final long[] c0 = new long[Counter.values().length];
    private final long[] cInterval = new long[Counter.values().length];
    // As the full level's ledger counts them: a planned fault is injected or skipped; what a timed
    // fault undoes by itself (the restart after "kill ... for") is a recovery, not another fault.
    private final Map<String, Long> faultsPlanned = new TreeMap<>();
    private final Map<String, Long> faultsInjectedByKind = new TreeMap<>();
    private final Map<String, Long> faultsSkipped = new TreeMap<>();
    private final Map<String, Long> faultsNotModelled = new TreeMap<>();
    private final Map<String, Long> recoveries = new TreeMap<>();
    private long faultsInjected;
    private final java.util.List<long[]> timeline = new java.util.ArrayList<>();
    private final java.util.List<String> timelineKinds = new java.util.ArrayList<>();
    private int tick;
    /**
     * Until then the servers' views still hold a killed server: a session's welcome waits for every
     * server in its server's view to know the device (chat-core's directory acks), so none is welcomed
     * before the view drops the dead one, failure_detection after the kill.
     */
    private long viewsWholeAtMicros;
    /** Sessions accepted but not yet welcomed, per server: they hold a place there but the device is not back yet. */
    private final long[] awaiting;
    private long awaitingTotal;
    private long openMin = Long.MAX_VALUE;

    /** What the model counts; names as in the summary. */
    enum Counter {
        MESSAGES("messages"), SENDS("sends"), ACKS("acks"), DELIVERS("delivers"), CONNECTS("connects"),
        DISCONNECTS("disconnects"), RECONNECTS("reconnects"), CONNECTS_REFUSED("connects_refused"),
        CONNECT_TIMEOUTS("connect_timeouts"), SENDS_WHILE_OFFLINE("sends_while_offline"),
        SENDS_RETRIED("sends_retried"), DELIVERIES_DEFERRED("deliveries_deferred"), PULLED("deliveries_pulled"),
        STORE_WRITES("store_writes"), WATERMARK_WRITES("watermark_writes"), COMPACTIONS("compactions"),
        CLAIMS("claims");

        final String word;

        Counter(String word) {
            this.word = word;
        }
    }

    /** Receives each interval's latency histograms as the run closes it (they are reset right after). */
    interface IntervalSink {
        void onInterval(long startMicros, long endMicros, LatencyHistogram sendToAck, LatencyHistogram sendToDeliver);
    }

    private IntervalSink intervalSink;

    void setIntervalSink(IntervalSink sink) {
        this.intervalSink = sink;
    }

    CoarseModel(CoarseConfig config, long seed, PrintStream progress) {
        this.c = config;
        this.progress = progress;
        this.weight = config.messageSample();
        this.serviceMeanFactor = StrictMath.exp(config.serviceSigma() * config.serviceSigma() / 2);
        this.storeMeanFactor = StrictMath.exp(config.store().sigma() * config.store().sigma() / 2);
        this.sim = new Simulation(1 << 16);
        this.self = sim.register(this);
        RandomStreams random = RandomStreams.root(seed).child("coarse");
        arrivals = random.stream("arrivals");
        senders = random.stream("senders");
        groups = random.stream("groups");
        service = random.stream("service");
        links = random.stream("links");
        storeRandom = random.stream("store");
        reconnects = random.stream("reconnects");
        fanout = random.stream("fanout");
        claims = random.stream("claims");
        unclaimed = config.chats();
        groupSizes = Distributions.zipf(random.stream("group-sizes"), c.groupSizeMax() - 1, c.groupZipfExponent());

        int n = c.nodes();
        connections = new NodeCounts(n);
        live = new boolean[n];
        epoch = new int[n];
        pendingConnects = new long[n];
        awaiting = new long[n];
        busy = new int[n];
        queues = new LongRing[n];
        queueMax = new long[n];
        busyMicros = new long[n];
        batch = new long[n];
        touched = new int[n];
        for (int i = 0; i < n; i++) {
            live[i] = true;
            queues[i] = new LongRing(256);
            // Consistent hashing over equal servers: an even split to start from.
            connections.add(i, c.devices() / n + (i < c.devices() % n ? 1 : 0));
        }
        StoreCost store = c.store();
        logRowsAtStart = StrictMath.log(Math.max(2, store.rowsAtStart()));
        int intervals = (int) ((c.durationMicros() + c.intervalMicros() - 1) / c.intervalMicros());
        series = new Series(c.intervalMicros(), intervals);
    }

    /** Runs the whole scenario. */
    void run() {
        if (c.messagesPerSecond() > 0) {
            sim.schedule(0, self, 0, ARRIVAL, 0L);
        }
        // Every tick before any fault, so a fault at an interval's boundary counts in the interval it starts.
        for (long t = c.intervalMicros(); ; t += c.intervalMicros()) {
            sim.schedule(Math.min(t, c.durationMicros()), self, 0, TICK, 0L);
            if (t >= c.durationMicros()) {
                break;
            }
        }
        for (CoarseFault f : c.faults()) {
            faultsPlanned.merge(f.kind().word, 1L, Long::sum);
            if (f.atMicros() < c.durationMicros()) {
                sim.schedule(f.atMicros(), () -> inject(f));
            } else {
                notModelled(f, "after-the-end");
            }
        }
        long progressEvery = Math.max(c.intervalMicros(), c.durationMicros() / 20);
        for (long t = progressEvery; ; t += progressEvery) {
            long until = Math.min(t, c.durationMicros());
            sim.runUntil(until);
            if (progress != null) {
                progress.println("[coarse] t=" + until / 1_000_000 + "s/" + c.durationMicros() / 1_000_000 + "s kernel_events="
                        + sim.eventsProcessed() + " connected=" + connections.total() + " acks=" + c0[Counter.ACKS.ordinal()]
                        + " reconnects=" + c0[Counter.RECONNECTS.ordinal()] + " outbox=" + outbox.size());
                progress.flush();
            }
            if (until == c.durationMicros()) {
                break;
            }
        }
        // Events at the very end, after the last tick, still count for the whole run.
        ackAll.add(ackInterval);
        deliverAll.add(deliverInterval);
        ackInterval.reset();
        deliverInterval.reset();
    }

    // ------------------------------------------------------------------ events

    @Override
    public void onEvent(int target, int kind, long payload) {
        int ep = kind >>> 4;
        switch (kind & 15) {
            case ARRIVAL -> onArrival();
            case NODE_ARRIVE -> onNodeArrive(target, ep, payload);
            case NODE_DONE -> onNodeDone(target, ep, payload);
            case STORE_ARRIVE -> onStoreArrive(target, ep, payload);
            case STORE_DONE -> onStoreDone(target, ep, payload);
            case RECONNECT -> onReconnect(payload);
            case TICK -> onTick();
            case WELCOME -> {
                if (ep == epoch[target] && awaiting[target] > 0) {
                    welcomed(target, sim.now());
                }
            }
            case STALL_DONE -> {
                storeBusy--;
                serveStore();
            }
            default -> throw new IllegalStateException("unknown event kind " + kind);
        }
    }

    private void onArrival() {
        long now = sim.now();
        if (now >= c.quiesceAtMicros()) {
            return;
        }
        count(Counter.MESSAGES, weight);
        long size = groups.nextDouble() < c.megaFraction() && c.megaGroupSize() >= 2
                ? c.megaGroupSize() : 1 + groupSizes.sample();
        long message = job(SEND, now, size);
        long u = senders.nextLong(c.devices());
        if (u < online()) {
            int node = connections.nodeOf(u);
            sendTo(node, message);
        } else {
            count(Counter.SENDS_WHILE_OFFLINE, weight);
            outbox.add(message);
        }
        double rate = c.messagesPerSecond() * (1 + c.diurnalAmplitude()
                * StrictMath.sin(2 * StrictMath.PI * now / c.diurnalPeriodMicros()));
        long gap = Math.max(1, Math.round(Draws.exponential(arrivals, 1e6 * weight / Math.max(rate, 1e-9))));
        if (now + gap < c.durationMicros()) {
            sim.schedule(now + gap, self, 0, ARRIVAL, 0L);
        }
    }

    private void sendTo(int node, long message) {
        count(Counter.SENDS, weight);
        sim.schedule(sim.now() + clientLink(), self, node, NODE_ARRIVE | epoch[node] << 4, message);
    }

    private void onNodeArrive(int node, int ep, long job) {
        if (ep != epoch[node] || !live[node]) {
            lost(job);
            return;
        }
        queues[node].add(job);
        queueMax[node] = Math.max(queueMax[node], queues[node].size());
        serveNode(node);
    }

    private void serveNode(int node) {
        LongRing q = queues[node];
        long now = sim.now();
        while (busy[node] < c.serverThreads() && q.size() > 0) {
            long job = q.poll();
            long type = typeOf(job);
            long work;
            long standIn = 0;
            if (type == CONNECT) {
                if (now - timeOf(job) > c.connectTimeoutMicros()) {
                    // The device gave up waiting and is already counting down to its next attempt.
                    pendingConnects[node]--;
                    count(Counter.CONNECT_TIMEOUTS, 1);
                    retry(job, timeOf(job) + c.connectTimeoutMicros());
                    continue;
                }
                work = serviceTime(c.connectServiceMedianMicros(), 1);
            } else if (type == SESSION) {
                work = serviceTime(c.sessionServiceMedianMicros(), 1);
            } else if (type == DELIVER) {
                work = serviceTime(c.deliverServiceMedianMicros(), fieldOf(job));
                standIn = standIn(c.deliverServiceMedianMicros() * fieldOf(job), serviceMeanFactor, 1);
            } else {
                work = serviceTime(c.sendServiceMedianMicros(), 1);
                standIn = standIn(c.sendServiceMedianMicros(), serviceMeanFactor, 1);
            }
            busy[node]++;
            busyMicros[node] += work + standIn;
            sim.schedule(now + work + standIn, self, node, NODE_DONE | epoch[node] << 4, later(job, standIn));
        }
    }

    private void onNodeDone(int node, int ep, long job) {
        if (ep != epoch[node]) {
            lost(job);     // the server died while working on it; its thread count was reset then
            return;
        }
        busy[node]--;
        long type = typeOf(job);
        long now = sim.now();
        if (type == SEND) {
            sim.schedule(now + link(c.storeLinkMedianMicros()), self, node, STORE_ARRIVE | ep << 4, claimFirst(job));
        } else if (type == DELIVER) {
            long count = fieldOf(job);
            long latency = now + clientLink() - timeOf(job);
            deliverInterval.record(latency, count * weight);
            count(Counter.DELIVERS, count * weight);
        } else if (type == CONNECT) {
            pendingConnects[node]--;
            if (connections.get(node) >= c.connectionsPerServerMax()) {
                count(Counter.CONNECTS_REFUSED, 1);
                retry(job, now);
            } else {
                connections.add(node, 1);
                awaiting[node]++;
                awaitingTotal++;
                if (c.sessionServiceMedianMicros() > 0) {
                    // Accepted: the session holds its place on the server, and its set-up work (directory
                    // updates, its sync) queues behind what is there; the device is welcomed when it is done,
                    // and has stopped counting down its connect timeout.
                    queues[node].add(job(SESSION, now, 0));
                    queueMax[node] = Math.max(queueMax[node], queues[node].size());
                } else {
                    welcomeOnceViewsAreWhole(node, now);
                }
            }
        } else if (type == SESSION) {
            welcomeOnceViewsAreWhole(node, now);
        }
        serveNode(node);
    }

    private void welcomeOnceViewsAreWhole(int node, long now) {
        if (awaiting[node] == 0) {
            return;     // its session was dropped (a mass disconnect) while it was being set up
        }
        if (now < viewsWholeAtMicros) {
            sim.schedule(viewsWholeAtMicros, self, node, WELCOME | epoch[node] << 4, 0L);
        } else {
            welcomed(node, now);
        }
    }

    /** Devices connected and welcomed: they send, and they are sent to. */
    private long online() {
        return connections.total() - awaitingTotal;
    }

    /** A device is connected (again): its reconnection is timed and its outbox leaves. */
    private void welcomed(int node, long now) {
        awaiting[node]--;
        awaitingTotal--;
        count(Counter.CONNECTS, 1);
        count(Counter.RECONNECTS, 1);
        connectPeak.record(now);
        if (droppedAt.size() > 0) {
            reconnectAll.record(now - droppedAt.poll());
        }
        releaseOutbox(node);
    }

    /** A reconnected device sends what waited in its outbox: its share of all offline devices' waiting sends. */
    private void releaseOutbox(int node) {
        if (outbox.size() == 0) {
            return;
        }
        long offline = c.devices() - online() + 1;
        // Rounding each device's share up would empty the outbox too soon (many times too soon when an
        // entry stands for several devices' sends), so the fractions are carried to the next device.
        outboxCredit += (double) outbox.size() / offline;
        long share = Math.min(outbox.size(), (long) outboxCredit);
        outboxCredit -= share;
        for (long i = 0; i < share; i++) {
            count(Counter.SENDS_RETRIED, weight);
            sendTo(node, outbox.poll());
        }
    }

    /**
     * The message, or its chat's claim if the owner has not claimed the chat yet: at the full level
     * the owner queues the chat's requests, claims the chat from the store, and writes the message
     * once the claim is back.
     */
    private long claimFirst(long message) {
        if (unclaimed <= 0 || claims.nextDouble() * c.chats() >= unclaimed) {
            return message;
        }
        unclaimed = Math.max(0, unclaimed - weight);
        return job(CLAIM, timeOf(message), fieldOf(message));
    }

    private void onStoreArrive(int node, int ep, long job) {
        storeQueue.add(job);
        storeTags.add((long) ep << 32 | node);
        storeQueueMax = Math.max(storeQueueMax, storeQueue.size());
        serveStore();
    }

    private void serveStore() {
        long now = sim.now();
        StoreCost store = c.store();
        while (storeBusy < c.storeConcurrency() && storeQueue.size() > 0) {
            long job = storeQueue.poll();
            long tag = storeTags.poll();
            boolean watermarks = typeOf(job) == WATERMARK;
            long writes = watermarks ? fieldOf(job) : 1;
            long writesBefore = storeWrites;
            storeWrites += writes * weight;
            // A claim is a write of the chat's row (its owner and epoch), costed as a message's.
            count(watermarks ? Counter.WATERMARK_WRITES : typeOf(job) == CLAIM ? Counter.CLAIMS : Counter.STORE_WRITES,
                    writes * weight);
            double median = store.writeMedianMicros();
            if (store.kind() == StoreCost.Kind.BTREE) {
                // A write walks the tree from root to leaf: its cost grows with the depth, log(rows).
                median *= StrictMath.log(Math.max(2, store.rowsAtStart()) + storeWrites) / logRowsAtStart;
            }
            double draw;
            if (store.kind() == StoreCost.Kind.MODEL) {
                draw = watermarks ? writes * store.watermark().sampleMicros(storeRandom) : store.append().sampleMicros(storeRandom);
                median = watermarks ? store.watermark().meanMicros() : median;
            } else {
                draw = Draws.logNormal(storeRandom, median * writes, store.sigma());
            }
            long work = Math.max(1, Math.round(draw * storeSlowFactor));
            long standIn = standIn(Math.round(median * writes), storeMeanFactor, storeSlowFactor);
            storeBusy++;
            storeBusyMicros += work + standIn;
            sim.schedule(now + work + standIn, self, (int) tag, STORE_DONE | (int) (tag >>> 32) << 4, later(job, standIn));
            long compactions = store.kind() == StoreCost.Kind.LSM && store.compactionEveryWrites() > 0
                    ? storeWrites / store.compactionEveryWrites() - writesBefore / store.compactionEveryWrites() : 0;
            for (long i = 0; i < compactions; i++) {
                // A compaction holds one of the store's workers; requests behind it wait.
                count(Counter.COMPACTIONS, 1);
                storeBusy++;
                storeBusyMicros += Math.round(store.compactionStallMicros() * storeSlowFactor);
                sim.schedule(now + Math.round(store.compactionStallMicros() * storeSlowFactor), self, 0, STALL_DONE, 0L);
            }
        }
    }

    private void onStoreDone(int node, int ep, long job) {
        storeBusy--;
        serveStore();
        if (typeOf(job) == WATERMARK) {
            return;     // written; the receipts it would send are not modelled
        }
        if (typeOf(job) == CLAIM) {
            long message = job(SEND, timeOf(job), fieldOf(job));
            if (ep != epoch[node] || !live[node]) {
                lost(message);
            } else {
                // The claim's answer back to the owner, and the message's write on its way.
                long now = sim.now();
                sim.schedule(now + link(c.storeLinkMedianMicros()) + link(c.storeLinkMedianMicros()), self, node,
                        STORE_ARRIVE | ep << 4, message);
            }
            return;
        }
        if (ep != epoch[node] || !live[node]) {
            // Durable, but the server that would ack and fan it out is gone: the device resends after
            // reconnecting (the store deduplicates by client message id), and that attempt fans out.
            lost(job);
            return;
        }
        long now = sim.now();
        long sent = timeOf(job);
        ackInterval.record(now + link(c.storeLinkMedianMicros()) + clientLink() - sent, weight);
        count(Counter.ACKS, weight);
        fanOut(node, sent, fieldOf(job), now);
    }

    private void fanOut(int node, long sent, long members, long now) {
        long recipients = (members - 1) * c.devicesPerUser() + (c.devicesPerUser() - 1);
        if (recipients <= 0) {
            return;
        }
        long online = online();
        if (members > c.pullAboveMembers()) {
            long seen = Math.round((double) recipients * online / c.devices());
            count(Counter.PULLED, seen * weight);
            count(Counter.DELIVERS, seen * weight);
            count(Counter.DELIVERIES_DEFERRED, (recipients - seen) * weight);
            long left = seen;
            for (int s = 0; s < PULL_STRATA && left > 0; s++) {
                long share = s == PULL_STRATA - 1 ? left : seen / PULL_STRATA;
                long wait = (long) ((s + 0.5) / PULL_STRATA * c.pullIntervalMicros());
                pullAll.record(now - sent + wait + clientLink(), share * weight);
                left -= share;
            }
            return;
        }
        int touchedCount = 0;
        long deferred = 0;
        for (long r = 0; r < recipients; r++) {
            long u = fanout.nextLong(c.devices());
            if (u >= online) {
                deferred++;
                continue;
            }
            int m = connections.nodeOf(u);
            if (batch[m]++ == 0) {
                touched[touchedCount++] = m;
            }
        }
        count(Counter.DELIVERIES_DEFERRED, deferred * weight);
        // Every device that has the message, the sender's included, reports its delivered watermark
        // and the chat's owner writes it before telling anyone: as many store writes again as there
        // are deliveries, arriving a round trip to the devices later. They load the store (its queue
        // and compactions), not this message's latency.
        long watermarks = recipients - deferred + 1;
        sim.schedule(now + clientLink() + clientLink() + link(c.storeLinkMedianMicros()), self, node,
                STORE_ARRIVE | epoch[node] << 4, job(WATERMARK, sent, watermarks));
        for (int i = 0; i < touchedCount; i++) {
            int m = touched[i];
            long hop = m == node ? 0 : link(c.nodeLinkMedianMicros());
            sim.schedule(now + hop, self, m, NODE_ARRIVE | epoch[m] << 4, job(DELIVER, sent, batch[m]));
            batch[m] = 0;
        }
    }

    private void onReconnect(long job) {
        int n = c.nodes();
        int open = 0;
        for (int m = 0; m < n; m++) {
            open += hasRoom(m) ? 1 : 0;
        }
        if (open == 0) {
            count(Counter.CONNECTS_REFUSED, 1);
            retry(job, sim.now());
            return;
        }
        // Any live server with room, evenly: consistent hashing with many points per server spreads a dead
        // server's devices over all the others (the next server on a ring of one point each took them all
        // and the others' share again, twice what any other took: a herd the full level does not have).
        int pick = reconnects.nextInt(open);
        for (int m = 0; m < n; m++) {
            if (hasRoom(m) && pick-- == 0) {
                pendingConnects[m]++;
                long attempt = job(CONNECT, sim.now(), fieldOf(job));
                sim.schedule(sim.now() + clientLink(), self, m, NODE_ARRIVE | epoch[m] << 4, attempt);
                return;
            }
        }
    }

    private boolean hasRoom(int m) {
        return live[m] && connections.get(m) + pendingConnects[m] < c.connectionsPerServerMax();
    }

    /** Schedules the device's next connection attempt by its reconnect strategy, counted from {@code from}. */
    private void retry(long job, long from) {
        long field = fieldOf(job);
        long attempt = Math.min(ATTEMPT_MAX, (field & ATTEMPT_MAX) + 1);
        long previous = (field >>> ATTEMPT_BITS) * 1_000;
        scheduleAttempt(Math.max(sim.now(), from), (int) attempt, previous);
    }

    private void scheduleAttempt(long from, int attempt, long previousDelay) {
        long delay = Math.max(0, c.reconnect().delayMicros(attempt, previousDelay, reconnects));
        long field = Math.min(ATTEMPT_MAX, attempt) | Math.min(DELAY_MS_MAX, delay / 1_000) << ATTEMPT_BITS;
        long at = from + delay;
        if (at < c.durationMicros()) {
            sim.schedule(at, self, 0, RECONNECT, job(CONNECT, 0, field));
        }
    }

    /** A job whose server died under it. */
    private void lost(long job) {
        long type = typeOf(job);
        if (type == SEND) {
            outbox.add(job);
        } else if (type == DELIVER) {
            count(Counter.DELIVERIES_DEFERRED, fieldOf(job) * weight);
        } else if (type == CONNECT) {
            retry(job, sim.now());
        }
        // A session's work on a dead server is gone with it.
    }

    private void onTick() {
        if (intervalSink != null && tick < series.length()) {
            long start = (long) tick * c.intervalMicros();
            intervalSink.onInterval(start, Math.min(start + c.intervalMicros(), c.durationMicros()), ackInterval,
                    deliverInterval);
        }
        if (tick < series.length()) {
            series.set(tick, connections.total(), Math.min(openMin, connections.total()), cInterval, ackInterval,
                    deliverInterval);
            tick++;
        }
        ackAll.add(ackInterval);
        deliverAll.add(deliverInterval);
        ackInterval.reset();
        deliverInterval.reset();
        Arrays.fill(cInterval, 0);
        openMin = connections.total();
    }

    // ------------------------------------------------------------------ faults

    private void inject(CoarseFault f) {
        if (sim.now() >= c.quiesceAtMicros()) {
            notModelled(f, "after-quiesce");
            return;
        }
        if (f.node() >= c.nodes()) {
            notModelled(f, "unknown-node");
            return;
        }
        switch (f.kind()) {
            case KILL -> {
                if (!live[f.node()]) {
                    notModelled(f, "kill-of-dead-node");
                    return;
                }
                kill(f.node());
                injected(f.kind().word, f.node());
                if (f.durationMicros() > 0) {
                    sim.after(f.durationMicros(), () -> {
                        if (restart(f.node())) {
                            recovered("restart", f.node());
                        }
                    });
                }
            }
            case RESTART -> {
                if (restart(f.node())) {
                    injected(f.kind().word, f.node());
                } else {
                    notModelled(f, "restart-of-live-node");
                }
            }
            case MASS_DISCONNECT -> {
                dropConnections(f.node());
                injected(f.kind().word, f.node());
            }
            case SLOW_STORE -> {
                storeSlowFactor = f.factor();
                injected(f.kind().word, -1);
                if (f.durationMicros() > 0) {
                    sim.after(f.durationMicros(), () -> {
                        storeSlowFactor = 1;
                        recoveries.merge("disk-restored", 1L, Long::sum);
                    });
                }
            }
            default -> throw new IllegalStateException("unknown fault kind " + f.kind());
        }
    }

    private void kill(int node) {
        int liveBefore = 0;
        for (boolean up : live) {
            liveBefore += up ? 1 : 0;
        }
        // The dead server's share of the claimed chats moves to the others, which claim each again.
        unclaimed += (c.chats() - unclaimed) / liveBefore;
        live[node] = false;
        epoch[node]++;
        viewsWholeAtMicros = Math.max(viewsWholeAtMicros, sim.now() + c.failureDetectionMicros());
        dropConnections(node);
        LongRing q = queues[node];
        while (q.size() > 0) {
            lost(q.poll());
        }
        busy[node] = 0;
        pendingConnects[node] = 0;
    }

    /** Brings a dead server back; false (nothing done) when it is up. */
    private boolean restart(int node) {
        if (live[node]) {
            return false;
        }
        live[node] = true;
        epoch[node]++;
        // On a join every owner claims its chats afresh (the full level at once, here at each chat's next message).
        unclaimed = c.chats();
        return true;
    }

    /**
     * Every session of the server ends; each device notices at once (its connection is reset, as at
     * the full level), then retries by its strategy. After a kill, the servers it reaches welcome it
     * only once their views have dropped the dead one ({@link #viewsWholeAtMicros}).
     */
    private void dropConnections(int node) {
        long dropped = connections.get(node);
        connections.add(node, -dropped);
        awaitingTotal -= awaiting[node];
        awaiting[node] = 0;
        openMin = Math.min(openMin, connections.total());
        count(Counter.DISCONNECTS, dropped);
        long noticed = sim.now();
        for (long i = 0; i < dropped; i++) {
            droppedAt.add(sim.now());
            scheduleAttempt(noticed, 1, 0);
        }
    }

    private void injected(String kind, int node) {
        mark(kind, node);
        faultsInjected++;
        faultsInjectedByKind.merge(kind, 1L, Long::sum);
    }

    /** A timed fault's own end (marked on the charts, counted apart from the planned faults). */
    private void recovered(String what, int node) {
        mark(what, node);
        recoveries.merge(what, 1L, Long::sum);
    }

    private void mark(String kind, int node) {
        timeline.add(new long[] {sim.now(), node});
        timelineKinds.add(kind);
    }

    private void notModelled(CoarseFault f, String why) {
        faultsSkipped.merge(f.kind().word, 1L, Long::sum);
        faultsNotModelled.merge(why, 1L, Long::sum);
    }

    /** Counts a fault of the scenario that this level does not model: planned, and skipped. */
    void skipFault(String kind) {
        faultsPlanned.merge(kind, 1L, Long::sum);
        faultsSkipped.merge(kind, 1L, Long::sum);
        faultsNotModelled.merge(kind, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ draws

    /**
     * The work of the {@code weight - 1} messages a simulated one stands for, at their mean (a sum of
     * that many draws is close to it): it holds the thread or store worker too, so queues see the
     * whole load, but it is not this message's own latency (see {@link #later}).
     */
    private long standIn(long median, double meanFactor, double slowFactor) {
        return weight == 1 ? 0 : Math.round((weight - 1) * median * meanFactor * slowFactor);
    }

    /**
     * The job as if sent {@code micros} later: the stand-in work delays when its next step starts,
     * but belongs to other messages, so it is taken out of this one's latency. The lumps are
     * pessimistic: work that arrives in one piece makes the jobs behind it wait longer than the same
     * work spread over its messages would.
     */
    private static long later(long job, long micros) {
        return micros == 0 ? job : job(typeOf(job), timeOf(job) + micros, fieldOf(job));
    }

    private long serviceTime(long median, long units) {
        return Math.max(1, Math.round(Draws.logNormal(service, (double) median * units, c.serviceSigma())));
    }

    private long clientLink() {
        return link(c.clientLinkMedianMicros());
    }

    private long link(long median) {
        return Math.max(1, Math.round(Draws.logNormal(links, median, c.linkSigma())));
    }

    private void count(Counter counter, long n) {
        c0[counter.ordinal()] += n;
        cInterval[counter.ordinal()] += n;
    }

    // ------------------------------------------------------------------ results

    long events() {
        return sim.eventsProcessed();
    }

    /** Whole-run counts by their summary names, in a fixed order. */
    Map<String, Long> counts() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("kernel_events", sim.eventsProcessed());
        for (Counter counter : Counter.values()) {
            out.put(counter.word, c0[counter.ordinal()]);
        }
        out.put("fails", 0L);
        out.put("connected_at_end", connections.total());
        out.put("outbox_at_end", (long) outbox.size());
        out.put("peak_connects_1s", connectPeak.peak());
        return out;
    }

    LatencyHistogram sendToAck() {
        return ackAll;
    }

    /** Pushed deliveries only: a pulled chat's latency is mostly its poll interval, and would drown the push figures. */
    LatencyHistogram sendToDeliver() {
        return deliverAll;
    }

    /** Deliveries of pulled (mega) chats: send to the member's next poll. */
    LatencyHistogram sendToPull() {
        return pullAll;
    }

    /** From a device's dropped session to its next one (kills and mass disconnects). */
    LatencyHistogram reconnect() {
        return reconnectAll;
    }

    /** Sessions each server holds now (at the end of a run: where the herds landed). */
    long[] sessionsPerServer() {
        long[] out = new long[c.nodes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = connections.get(i);
        }
        return out;
    }

    Series series() {
        return series;
    }

    /** The faults as injected: {@code {at_us, kind, node}} in order. */
    java.util.List<Map<String, Object>> timeline() {
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int i = 0; i < timeline.size(); i++) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("at_us", timeline.get(i)[0]);
            e.put("kind", timelineKinds.get(i));
            if (timeline.get(i)[1] >= 0) {
                e.put("node", "n" + (timeline.get(i)[1] + 1));
            }
            out.add(e);
        }
        return out;
    }

    long faultsInjected() {
        return faultsInjected;
    }

    long faultsPlanned() {
        return faultsPlanned.values().stream().mapToLong(Long::longValue).sum();
    }

    long faultsSkipped() {
        return faultsSkipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Faults injected by kind (a timed kill's restart is a recovery, not here). */
    Map<String, Long> faultsByKind() {
        return faultsInjectedByKind;
    }

    /** {@code {kind: {planned, injected, skipped}}}, the full level's shape, for every kind planned. */
    Map<String, Object> faultRows() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String kind : faultsPlanned.keySet()) {
            Map<String, Long> row = new java.util.LinkedHashMap<>();
            row.put("planned", faultsPlanned.get(kind));
            row.put("injected", faultsInjectedByKind.getOrDefault(kind, 0L));
            row.put("skipped", faultsSkipped.getOrDefault(kind, 0L));
            out.put(kind, row);
        }
        return out;
    }

    /** What timed faults undid by themselves: {@code restart}, {@code disk-restored}. */
    Map<String, Long> recoveries() {
        return recoveries;
    }

    Map<String, Long> faultsNotModelled() {
        return faultsNotModelled;
    }

    /** Per server: the longest queue seen and the fraction of thread time spent busy. */
    long[] queueMax() {
        return queueMax.clone();
    }

    /** The store's busy time over what its workers could give in the run; near 1 or above: saturated. */
    double storeUtilisation() {
        return (double) storeBusyMicros / ((double) c.durationMicros() * c.storeConcurrency());
    }

    /** The most sends that waited for a store worker at once (each sampled send stands for message_sample). */
    long storeQueueMax() {
        return storeQueueMax;
    }

    double[] utilisation() {
        double[] out = new double[c.nodes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (double) busyMicros[i] / ((double) c.durationMicros() * c.serverThreads());
        }
        return out;
    }

    /** Per-interval time series: the summary's {@code timeseries} block. */
    static final class Series {
        final long intervalMicros;
        final long[] open;
        final long[] openMin;
        final long[] connects;
        final long[] disconnects;
        final long[] reconnects;
        final long[] acks;
        final long[] delivers;
        final long[] ackP50;
        final long[] ackP99;
        final long[] deliverP50;
        final long[] deliverP99;

        Series(long intervalMicros, int n) {
            this.intervalMicros = intervalMicros;
            open = new long[n];
            openMin = new long[n];
            connects = new long[n];
            disconnects = new long[n];
            reconnects = new long[n];
            acks = new long[n];
            delivers = new long[n];
            ackP50 = new long[n];
            ackP99 = new long[n];
            deliverP50 = new long[n];
            deliverP99 = new long[n];
        }

        int length() {
            return open.length;
        }

        void set(int i, long openNow, long openLow, long[] counters, LatencyHistogram ack, LatencyHistogram deliver) {
            open[i] = openNow;
            openMin[i] = openLow;
            connects[i] = counters[Counter.CONNECTS.ordinal()];
            disconnects[i] = counters[Counter.DISCONNECTS.ordinal()];
            reconnects[i] = counters[Counter.RECONNECTS.ordinal()];
            acks[i] = counters[Counter.ACKS.ordinal()];
            delivers[i] = counters[Counter.DELIVERS.ordinal()];
            ackP50[i] = ack.count() == 0 ? -1 : ack.percentile(50);
            ackP99[i] = ack.count() == 0 ? -1 : ack.percentile(99);
            deliverP50[i] = deliver.count() == 0 ? -1 : deliver.percentile(50);
            deliverP99[i] = deliver.count() == 0 ? -1 : deliver.percentile(99);
        }
    }
}
