package dev.chatlab.scenarios.real;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatlab.chaos.Fault;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.stats.RunRecorder;
import dev.chatlab.scenarios.ChaosPlan;
import dev.chatlab.sim.random.RandomStreams;
import dev.chatlab.chaos.real.NodeProcesses;
import dev.chatlab.chaos.real.LinkFilter;
import dev.chatlab.chaos.real.NodeStateFaults;
import dev.chatlab.chaos.real.ProcessFaults;
import dev.chatlab.chaos.real.StoreProcesses;
import dev.chatlab.stores.Durability;
import dev.chatlab.checker.Example;
import dev.chatlab.checker.HistoryChecker;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;
import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.reference.chaos.NodeProxies;
import dev.chatlab.reference.chaos.PacketFilter;
import dev.chatlab.reference.cluster.CacheCounters;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.fleet.FleetWorkers;
import dev.chatlab.reference.fleet.FleetWorkerMain;
import dev.chatlab.reference.cluster.NodeHistoryFile;
import dev.chatlab.reference.fleet.HistoryMerge;
import dev.chatlab.reference.fleet.LocalFleet;
import dev.chatlab.reference.fleet.RealDriver;
import dev.chatlab.stores.StoreSeeder;
import dev.chatlab.stores.StoredCheck;
import dev.chatlab.core.store.StoredMessage;
import dev.chatlab.scenarios.Convergence;
import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.Overload;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.slo.RunSlos;
import dev.chatlab.scenarios.slo.SloResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Runs a scenario on a real cluster: node processes joined by Hazelcast, the shared embedded
 * PostgreSQL, the recording client fleet on real WebSockets, and real chaos, counted: kill -9 and
 * restart of node processes, mass disconnects (the fleet drops its own sockets) and latency spikes
 * (on fault proxies between the fleet and the nodes, started only for them), and clock skew, slow store and cut peer links applied by the nodes
 * themselves through their chaos endpoints. It writes what the sim engine writes ({@code history.jsonl.gz},
 * {@code summary.json}, {@code verdict.json}, {@code verdict.xml}) plus {@code cluster/} with
 * one log per process. The population is scaled to this machine and the summary says how. A real
 * run is not replayable: the seed fixes the population, the workload and the fault times, not
 * the timing of real sockets.
 *
 * <pre>{@code
 * RealRun.Result r = RealRun.run(scenario, seed, Path.of("runs/server-kill-herd-real"), RealRun.Options.defaults(),
 *         System.out, System.err);
 * System.exit(r.verdict().exitCode());
 * }</pre>
 */
public final class RealRun {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** What a run concluded and where it wrote it. */
    public record Result(long seed, Path outDir, Verdict verdict, Map<String, Object> counts, Map<String, Long> faults,
                         double scale, boolean converged, List<SloResult> slos) {
        /** 0 when every invariant held, the devices caught up and every SLO was met, 1 when not, 2 for an unreadable history. */
        public int exitCode() {
            int exit = verdict.exitCode();
            // A run whose devices never caught up failed even if what it recorded broke no rule (a send never answered).
            return exit == Verdict.EXIT_VALID && (!converged || !slosMet()) ? Verdict.EXIT_VIOLATED : exit;
        }

        public boolean slosMet() {
            return SloResult.allMet(slos);
        }
    }

    /**
     * @param devicesMax        the most devices (sockets) the fleet opens; the population is scaled to fit
     * @param nodeJvmArgs       options of each node process
     * @param fleetProcesses    fleet processes to spread the devices over; 0 decides from the device count
     * @param socketsPerProcess the most devices one fleet process holds when the count is decided
     * @param fleetJvmArgs      options of each fleet worker process
     */
    public record Options(int devicesMax, List<String> nodeJvmArgs, int fleetProcesses, int socketsPerProcess,
                          List<String> fleetJvmArgs) {
        public Options {
            nodeJvmArgs = List.copyOf(nodeJvmArgs);
            fleetJvmArgs = List.copyOf(fleetJvmArgs);
            if (fleetProcesses < 0) {
                throw new IllegalArgumentException("fleet processes must be 0 (decide) or more, not " + fleetProcesses);
            }
            if (socketsPerProcess < 1) {
                throw new IllegalArgumentException("sockets per fleet process must be positive, not " + socketsPerProcess);
            }
        }

        public static Options defaults() {
            // The nodes' options are the launcher's (with CHATLAB_NODE_JAVA_OPTS), as for `chatlab cluster start`.
            return new Options(RealScale.devicesForThisMachine(),
                    ClusterLauncher.Plan.defaults(Path.of("."), 1).nodeJvmArgs(), 0,
                    FleetWorkers.SOCKETS_PER_PROCESS_DEFAULT, FleetWorkers.JVM_ARGS_DEFAULT);
        }

        public Options withDevicesMax(int max) {
            return new Options(max, nodeJvmArgs, fleetProcesses, socketsPerProcess, fleetJvmArgs);
        }

        /** Spreads the devices over exactly {@code n} fleet processes (1: in this process). */
        public Options withFleetProcesses(int n) {
            return new Options(devicesMax, nodeJvmArgs, n, socketsPerProcess, fleetJvmArgs);
        }

        public Options withSocketsPerProcess(int max) {
            return new Options(devicesMax, nodeJvmArgs, fleetProcesses, max, fleetJvmArgs);
        }
    }

    private RealRun() {
    }

    /** {@code runs/<name>-real-<seed>}, relative to the working directory. */
    public static Path defaultOut(Scenario scenario, long seed) {
        return Path.of("runs", scenario.name() + "-real-" + seed);
    }

    public static Result run(Scenario scenario, long seed, Path outDir, Options options, PrintStream out,
                             PrintStream progress) throws IOException {
        return run(scenario, seed, outDir, options, out, progress, fleet -> { });
    }

    /**
     * Like {@link #run(Scenario, long, Path, Options, PrintStream, PrintStream)}, with {@code prepare}
     * given the in-process fleet before any device connects: a test plants a loss there (a device
     * that never takes some of a chat's messages) and sees what the run makes of it.
     */
    static Result run(Scenario scenario, long seed, Path outDir, Options options, PrintStream out,
                      PrintStream progress, Consumer<LocalFleet> prepare) throws IOException {
        RealScale scale = RealScale.fit(scenario, options.devicesMax());
        Scenario s = scale.scenario();
        out.println("seed=" + seed);
        out.println("scenario=" + s.name() + " engine=real " + describe(s));
        out.printf(Locale.ROOT, "scale=%.4f of the file's population: %d users x %d devices, %d chats, %.1f msg/s"
                        + " (at most %d devices here: %d cores)%n", scale.factor(), s.population().users(),
                s.population().devicesPerUser(), s.population().chats(), s.workload().messagesPerSecond(),
                scale.devicesMax(), Runtime.getRuntime().availableProcessors());
        out.flush();
        Files.createDirectories(outDir);
        Path historyFile = outDir.resolve("history.jsonl.gz");
        SplittableRandom root = new SplittableRandom(seed);
        // The swarm is drawn as the simulator draws it, so that one seed plays the same faults on both engines.
        ChaosPlan chaos = ChaosPlan.of(s.chaos(), s.topology().nodeIds(), RandomStreams.root(seed));
        RealPopulation people = RealPopulation.draw(s.population(), root.split());
        List<RealDriver.TimedAction> actions = new ArrayList<>();
        people.workload(s.workload(), 0, s.quiesceAtMicros(), root.split(),
                (at, user, device, action) -> actions.add(new RealDriver.TimedAction(at, user, device, action)));

        // Pinned homes keep their chats on their own disks: RocksDB per node, seeded before the nodes open it.
        String store = s.realStore().kindFor(s.topology());
        int shards = s.realStore().shards() > 0 ? s.realStore().shards() : Scenario.RealStore.SHARDS_DEFAULT;
        progress.println("[real] starting " + s.topology().nodes() + " node processes and "
                + switch (store) {
                    case "rocksdb" -> "a RocksDB per node";
                    case "postgres-sharded" -> "PostgreSQL in " + shards + " shards";
                    case "cassandra" -> "a Cassandra node";
                    default -> "PostgreSQL";
                } + (s.realStore().cache() != null ? " behind a Redis cache of the last " + s.realStore().cache().recent()
                        + " messages a chat" : "") + ("redis".equals(s.realPresence()) ? ", presence on Redis" : "")
                + " in " + outDir.resolve("cluster"));
        long started = System.nanoTime();
        if (s.topology().pinned()) {
            StoreSeeder.seedRocksDbHomes(outDir.resolve("cluster").toAbsolutePath(),
                    (Ownership.PinnedHome) s.topology().ownership(), people.members());
        }
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(outDir.resolve("cluster"),
                s.topology().nodes()).withStore(store).withStoreShards(shards).withNodeArgs(nodeArgs(s)).withJvmArgs(options.nodeJvmArgs())
                .withDurability(Durability.valueOf(s.realStore().durabilityOrDefault().toUpperCase(Locale.ROOT).replace('-', '_'))));
        double clusterSeconds = (System.nanoTime() - started) / 1e9;
        progress.printf(Locale.ROOT, "[real] cluster up in %.1f s; %d devices, %d messages planned%n", clusterSeconds,
                people.users().size() * people.devices().size(), actions.stream()
                        .filter(a -> a.action() instanceof dev.chatlab.core.client.UserAction.SendMessage).count());

        FleetLayout layout = FleetLayout.decide(people.users().size() * people.devices().size(), options);
        out.printf(Locale.ROOT, "fleet=%s (at most %d sockets a fleet process)%n", layout.describe(),
                options.socketsPerProcess());
        out.flush();
        HistoryChecker checker = new HistoryChecker();
        RunRecorder recorder = new RunRecorder();
        // The fleet's event loop records; the progress line reads from another thread.
        HistorySink recorded = recorder.locked();
        HistorySink history = HistorySink.all(checker, recorded);
        long[] clockZero = {0};
        // The nodes time their membership views by the wall clock: this is its reading at t = 0.
        long[] wallZero = {0};
        ProcessFaults faults;
        NodeStateFaults nodeFaults;
        RealDriver.Outcome outcome;
        List<String> skipped = new ArrayList<>();
        Map<String, Long> networkFaults = new TreeMap<>();
        Map<String, Map<String, Object>> nodeChaos;
        Map<String, Object> partitionFilter = new LinkedHashMap<>();
        PacketFilter packets = null;
        CoreUse cores = null;
        StoreMeasures storeMeasures = null;
        Map<String, Object> storeSection;
        Map<String, Object> cpu = Map.of();
        Verdict verdict;
        Map<String, Object> lostInStore;
        CacheCounters cacheCounters;
        RealDriver.Plan plan = new RealDriver.Plan(people.members(), people.users(), people.devices(), actions,
                List.of(), s.quiesceAtMicros(), s.durationMicros(), clientConfig(s), seed);
        Convergence convergence = new Convergence(s.quiesceAtMicros(), s.convergeWithinMicros());
        boolean proxied = layout.inProcess()
                && chaos.plan().faults().stream().anyMatch(f -> f.fault() instanceof Fault.LatencySpike);
        // The history's t counts from the fleet's start, the warm-up from the workload's zero: known once the fleet starts.
        RealDriver.Settling settling = new FleetConvergence(convergence, people.members(), people.devices()).onStart(zero -> {
            synchronized (recorder) {
                recorder.measuringFrom(s.workload().warmupMicros() == 0 ? 0 : zero + s.workload().warmupMicros());
            }
        });
        Consumer<String> log = line -> {
            progress.println(line);
            progress.flush();
        };
        try (HistoryWriter writer = HistoryWriter.open(historyFile)) {
            faults = new ProcessFaults(processes(cluster), storeProcesses(cluster), s.topology().nodeIds(),
                    () -> System.nanoTime() / 1000 - clockZero[0]);
            nodeFaults = new NodeStateFaults(NodeFaultTasks.control(cluster), s.topology().nodeIds(),
                    () -> System.nanoTime() / 1000 - clockZero[0]);
            packets = openPacketFilter(cluster, chaos.plan(), nodeFaults, partitionFilter, log);
            // Every node gets its (normal) state once before the run: the endpoint answers and the connections are warm.
            for (String node : s.topology().nodeIds()) {
                nodeFaults.reapply(node);
            }
            clockZero[0] = System.nanoTime() / 1000;
            wallZero[0] = System.currentTimeMillis();
            cores = CoreUse.start(cluster);
            storeMeasures = StoreMeasures.start(cluster);
            if (layout.inProcess()) {
                // Latency spikes need somewhere to act: then the fleet reaches each node through a fault
                // proxy. Otherwise it connects straight to the nodes, as clients would (a proxy is one
                // more hop and a sixth of this process's CPU), and drops its own sockets for a mass disconnect.
                // Its history is merged afterwards with the nodes' own events (membership changes).
                log.accept(proxied ? "[real] the fleet reaches the nodes through fault proxies (the plan has latency spikes)"
                        : "[real] the fleet connects straight to the nodes");
                Path fleetPart = outDir.resolve("cluster").resolve("fleet-history.jsonl.gz");
                AtomicReference<LocalFleet> local = new AtomicReference<>();
                List<String> nodes = cluster.nodeNames();
                try (NodeProxies proxies = proxied ? NodeProxies.start(cluster) : null;
                     HistoryWriter fleetHistory = HistoryWriter.open(fleetPart)) {
                    ToIntFunction<String> massDisconnect = proxied ? proxies::massDisconnect
                            : node -> local.get().disconnectAll(nodes.indexOf(node));
                    List<RealDriver.TimedFault> schedule = withWarmUpEnd(s, cluster, faultTasks(chaos.plan(), faults, nodeFaults,
                            massDisconnect, proxies, networkFaults, skipped));
                    outcome = RealDriver.run(cluster, proxied ? proxies.webSocketUrls() : cluster.webSocketUrls(),
                            plan.withFaults(schedule),
                            HistorySink.all(fleetHistory, recorded), clock -> recover(faults, nodeFaults, s.topology().nodeIds()), log,
                            () -> progressOf(recorder) + " faults="
                                    + (faults.total() + nodeFaults.injected().size()), settling, fleet -> {
                                local.set(fleet);
                                prepare.accept(fleet);
                            });
                    if (proxied) {
                        proxies.counts().forEach((kind, n) -> {
                            if (kind.equals("latency")) {
                                networkFaults.merge(kind, n, Long::sum);
                            }
                        });
                    }
                }
                // The cores are counted over the run itself: merging and judging its history afterwards is not load.
                cpu = cores.finish();
                logMerge(mergeWithNodes(List.of(fleetPart), nodeHistories(cluster), outcome.fleetZeroHostMicros(),
                        cluster.dir(), HistorySink.all(writer, checker)), historyFile, log);
                Files.delete(fleetPart);
            } else {
                // Several processes hold more sockets than proxies in this one could: the devices
                // connect straight to the nodes and each worker drops its own for a mass disconnect.
                try (FleetWorkers fleet = FleetWorkers.start(plan, cluster.webSocketUrls(), cluster.secret(), layout.processes(),
                        outDir.resolve("fleet"), options.fleetJvmArgs())) {
                    for (String worker : fleet.describe()) {
                        log.accept("[real] fleet " + worker);
                    }
                    List<String> nodes = new ArrayList<>();
                    cluster.nodes().forEach(n -> nodes.add(n.name()));
                    List<RealDriver.TimedFault> schedule = withWarmUpEnd(s, cluster, faultTasks(chaos.plan(), faults, nodeFaults,
                            node -> fleet.disconnectAll(nodes.indexOf(node)), null, networkFaults, skipped));
                    outcome = RealDriver.run(cluster, plan.withFaults(schedule), fleet,
                            clock -> recover(faults, nodeFaults, s.topology().nodeIds()), log, settling);
                    cores.addCpu("fleet workers", outcome.fleetCounters().getOrDefault(FleetWorkerMain.CPU_NANOS, 0L));
                    cpu = cores.finish();
                    logMerge(mergeWithNodes(fleet.parts(), nodeHistories(cluster), outcome.fleetZeroHostMicros(),
                            cluster.dir(), HistorySink.all(writer, history)), historyFile, log);
                }
            }
            nodeChaos = NodeFaultTasks.counters(cluster, wallZero[0]);
            NodeServiceTimes.write(cluster);
            cacheCounters = s.realStore().cache() != null ? CacheCounters.read(cluster) : null;
            Map<String, Object> counted = countsOf(recorder);
            storeSection = storeMeasures.finish(((Number) counted.get("acks")).longValue(),
                    ((Number) counted.get("delivers")).longValue(), s.quiesceAtMicros() / 1e6, cpu);
            // Judged while the store still runs, so that messages called lost can be read back from it.
            verdict = checker.finish();
            lostInStore = lostMessagesInStore(cluster, verdict, log);
        } finally {
            if (packets != null) {
                partitionFilter.put("applied", packets.applied());
                packets.close();
            }
            cluster.stop();
        }
        if (nodeFaults.filterFailed() > 0) {
            partitionFilter.put("failed", nodeFaults.filterFailed());
            partitionFilter.put("failures", nodeFaults.filterFailures());
            partitionFilter.put("note", "iptables failed " + nodeFaults.filterFailed() + " time(s): those cuts held only"
                    + " inside the nodes (a gray failure, membership whole)");
        }
        Map<String, Long> allFaults = new TreeMap<>(faults.counts());
        nodeFaults.counts().forEach((kind, n) -> allFaults.merge(kind, n, Long::sum));
        networkFaults.forEach((kind, n) -> allFaults.merge(kind.equals("latency") ? "latency-spike" : kind, n, Long::sum));
        // A spike is applied and removed: count the spikes, not the two proxy settings.
        allFaults.computeIfPresent("latency-spike", (k, n) -> (n + 1) / 2);
        try (Writer json = Files.newBufferedWriter(outDir.resolve("verdict.json"), StandardCharsets.UTF_8)) {
            VerdictJson.write(verdict, json);
        }
        Files.writeString(outDir.resolve("verdict.xml"), VerdictJunit.toXml(verdict, "history.jsonl.gz"), StandardCharsets.UTF_8);
        Map<String, Object> fleetSummary = new LinkedHashMap<>();
        fleetSummary.put("processes", layout.processes());
        fleetSummary.put("in_process", layout.inProcess());
        fleetSummary.put("through_proxies", proxied);
        fleetSummary.put("devices", layout.devices());
        fleetSummary.put("sockets_per_process_max", options.socketsPerProcess());
        fleetSummary.putAll(new TreeMap<>(outcome.fleetCounters()));
        Map<String, Object> membership = membership(nodeChaos, s.topology().nodeIds());
        Map<String, Object> summary = summary(scenario, s, scale, seed, recorder, chaos, faults, nodeFaults, nodeChaos,
                membership, partitionFilter, allFaults, skipped, outcome, fleetSummary, clusterSeconds, verdict);
        summary.put("cpu", cpu);
        Map<String, Object> storeOut = new LinkedHashMap<>(storeSection);
        if (cacheCounters != null) {
            storeOut.putIfAbsent("kind", store);
            storeOut.put("cache", cacheCounters.summary(s.realStore().cache().kind(), s.realStore().cache().recent()));
        }
        summary.put("store", storeOut);
        Map<String, Object> converged = convergence.summary(outcome.endMicros());
        summary.put("convergence", converged);
        if (!lostInStore.isEmpty()) {
            summary.put("lost_messages_in_store", lostInStore);
        }
        Map<String, Object> overload = Overload.of(countsOf(recorder), recorder.latency(), converged, cpu,
                outcome.fleetCounters().getOrDefault("frames_out", 0L), outcome.fleetCounters().getOrDefault("frames_in.error", 0L));
        summary.put("overload", overload);
        Files.writeString(outDir.resolve("summary.json"), JSON.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);

        out.println("fleet: " + layout.describe() + ", " + outcome.fleetCounters());
        out.println("counts: " + countsOf(recorder));
        if (cacheCounters != null) {
            out.printf(Locale.ROOT, "store cache (redis, last %d a chat): %d hits, %d misses, hit rate %.1f%%, %d failures%n",
                    s.realStore().cache().recent(), cacheCounters.hits(), cacheCounters.misses(), 100 * cacheCounters.hitRate(),
                    cacheCounters.failures());
        }
        long injected = allFaults.values().stream().mapToLong(Long::longValue).sum();
        out.println("faults injected=" + injected + " of " + chaos.plan().size() + " planned " + allFaults
                + (skipped.isEmpty() ? "" : " skipped (no real injector): " + skipped));
        for (String line : outcome.faultLog()) {
            out.println("  " + line);
        }
        for (ProcessFaults.Injected i : nodeFaults.injected()) {
            out.printf(Locale.ROOT, "  %s %s took %.2f s%n", i.kind(), i.node(), i.tookMicros() / 1e6);
        }
        for (ProcessFaults.Injected i : faults.injected()) {
            out.printf(Locale.ROOT, "  %s %s took %.2f s%n", i.kind(), i.node(), i.tookMicros() / 1e6);
        }
        if (!partitionFilter.isEmpty()) {
            out.println("partition filter: " + partitionFilter);
        }
        out.println("node chaos (peer messages dropped, store calls slowed, membership views at t seconds): " + nodeChaos);
        out.println("membership: " + membership);
        out.println(recorder.latencyLines());
        if (cores != null) {
            out.println(cores.line());
        }
        out.println("store: " + storeSection);
        out.println("reconnect_us: " + recorder.reconnectTime());
        out.println("reconnect curve (second: connects/disconnects): " + curveLine(recorder.reconnectCurve()));
        out.println("convergence: " + converged.get("line"));
        out.println("overload: " + overload.get("line"));
        out.print(VerdictSummary.render(verdict, historyFile.toString()));
        if (!convergence.settled() && verdict.valid()) {
            out.println("FAILED: the run " + converged.get("line"));
        }
        if (!lostInStore.isEmpty()) {
            out.println("lost messages read back from the store: " + lostInStore.get("line"));
        }
        List<SloResult> slos = RunSlos.record(scenario, summary, verdict, outDir, "history.jsonl.gz", out);
        out.println("wrote " + outDir + ": history.jsonl.gz, summary.json, verdict.json, verdict.xml, cluster/ (logs)"
                + (layout.inProcess() ? "" : ", fleet/ (each worker's share, history, stats and log)"));
        out.flush();
        return new Result(seed, outDir, verdict, countsOf(recorder), allFaults, scale.factor(), convergence.settled(), slos);
    }

    /**
     * Kill (and its restart), restart, mass disconnect (every device connection to the node
     * dropped: by the node's proxy, or by every fleet worker) and latency spike (on the proxies,
     * so only with the fleet in this process) act from outside the nodes; clock skew, slow disk,
     * partitions, one-way cuts and heals are applied by the nodes themselves when told
     * ({@link NodeFaultTasks}). A node that restarts gets its skew and cuts again.
     */
    /**
     * The end of the workload's warm-up clears the nodes' service times, so that
     * {@code cluster/service-times.json} (what calibrate fits) holds the steady state, as
     * {@code latency_us} does; it shows in the run's timeline with the faults.
     */
    private static List<RealDriver.TimedFault> withWarmUpEnd(Scenario s, ClusterLauncher cluster,
                                                             List<RealDriver.TimedFault> schedule) {
        long warmup = s.workload().warmupMicros();
        if (warmup == 0) {
            return schedule;
        }
        List<RealDriver.TimedFault> out = new ArrayList<>(schedule);
        out.add(new RealDriver.TimedFault(warmup, "warm-up over, the nodes' service times cleared",
                clock -> NodeServiceTimes.clear(cluster) > 0));
        return out;
    }

    private static List<RealDriver.TimedFault> faultTasks(FaultPlan plan, ProcessFaults faults, NodeStateFaults nodeFaults,
                                                          ToIntFunction<String> massDisconnect, NodeProxies proxies,
                                                          Map<String, Long> networkFaults, List<String> skipped) {
        List<RealDriver.TimedFault> out = new ArrayList<>();
        for (FaultPlan.Scheduled scheduled : plan.faults()) {
            Fault f = scheduled.fault();
            if (f instanceof Fault.Kill k) {
                out.add(new RealDriver.TimedFault(scheduled.atMicros(), "kill -9 " + k.node(), clock -> faults.kill(k.node())));
                if (k.downMicros() > 0) {
                    out.add(new RealDriver.TimedFault(scheduled.atMicros() + k.downMicros(), "restart " + k.node(),
                            clock -> restart(faults, nodeFaults, k.node())));
                }
            } else if (f instanceof Fault.Restart r) {
                out.add(new RealDriver.TimedFault(scheduled.atMicros(), "restart " + r.node(),
                        clock -> restart(faults, nodeFaults, r.node())));
            } else if (f instanceof Fault.StoreKill k) {
                out.add(new RealDriver.TimedFault(scheduled.atMicros(), "kill -9 " + k.target() + " (store)",
                        clock -> faults.killStore(k.target())));
                if (k.downMicros() > 0) {
                    out.add(new RealDriver.TimedFault(scheduled.atMicros() + k.downMicros(), "restart " + k.target()
                            + " (store)", clock -> faults.restartStore(k.target())));
                }
            } else if (f instanceof Fault.MassDisconnect m) {
                out.add(new RealDriver.TimedFault(scheduled.atMicros(), "mass disconnect " + m.node(), clock -> {
                    int dropped = massDisconnect.applyAsInt(m.node());
                    synchronized (networkFaults) {
                        networkFaults.merge("mass-disconnect", 1L, Long::sum);
                    }
                    return dropped >= 0;
                }));
            } else if (f instanceof Fault.LatencySpike && proxies == null) {
                skipped.add(f.kind() + "@" + Durations.format(scheduled.atMicros()) + " (needs the fleet in one process)");
            } else if (f instanceof Fault.LatencySpike spike) {
                long millis = spike.extraMicros() / 1000;
                out.add(new RealDriver.TimedFault(scheduled.atMicros(), "latency +" + millis + " ms on " + spike.nodes(),
                        clock -> {
                            proxies.latency(spike.nodes(), millis);
                            return true;
                        }));
                if (spike.durationMicros() > 0) {
                    out.add(new RealDriver.TimedFault(scheduled.atMicros() + spike.durationMicros(),
                            "latency back to normal on " + spike.nodes(), clock -> {
                                proxies.latency(spike.nodes(), 0);
                                return true;
                            }));
                }
            } else if (!NodeFaultTasks.add(scheduled, nodeFaults, out)) {
                skipped.add(f.kind() + "@" + Durations.format(scheduled.atMicros()));
            }
        }
        return out;
    }

    /**
     * When the plan has partitions or one-way cuts: an iptables filter that cuts the nodes'
     * Hazelcast links too, so that membership splits as in the simulator (the nodes still drop
     * each other's peer messages themselves). Without iptables (missing, or refused) the cuts
     * stay gray failures, and {@code summary} says so in {@code mode} and {@code note}: never silently.
     */
    private static PacketFilter openPacketFilter(ClusterLauncher cluster, FaultPlan plan, NodeStateFaults nodeFaults,
                                                 Map<String, Object> summary, Consumer<String> log) {
        boolean cuts = plan.faults().stream().anyMatch(f -> f.fault() instanceof Fault.Partition
                || f.fault() instanceof Fault.OneWayCut);
        if (!cuts) {
            return null;
        }
        try {
            PacketFilter packets = cluster.openPacketFilter();
            nodeFaults.filterLinks(links -> {
                List<PacketFilter.Link> cut = new ArrayList<>();
                for (LinkFilter.Link l : links) {
                    cut.add(new PacketFilter.Link(l.from(), l.to()));
                }
                packets.apply(cut);
            });
            summary.put("mode", "iptables");
            summary.put("chain", packets.chain());
            log.accept("[real] partitions cut the nodes' Hazelcast links with iptables (chain " + packets.chain()
                    + ") and their peer messages in the nodes");
            return packets;
        } catch (IOException | RuntimeException e) {
            summary.put("mode", "gray");
            summary.put("reason", String.valueOf(e.getMessage()));
            summary.put("note", "iptables unavailable: partitions and cuts are gray failures only (the nodes drop"
                    + " each other's peer messages; Hazelcast membership stays whole, ownership does not move)");
            log.accept("[real] WARNING: iptables unavailable (" + e.getMessage() + "): partitions are gray failures only,"
                    + " membership will not split");
            return null;
        }
    }

    /** At most this many of the messages {@code no-lost-ack} names are read back from the store. */
    static final int LOST_READ_BACK_MAX = 20;

    /**
     * Reads the messages {@code no-lost-ack} names back from PostgreSQL, as a {@code sync} would:
     * a message the store has and the named devices never showed is really lost to them. Empty
     * when nothing was called lost; says why when the store cannot be read (RocksDB homes).
     */
    private static Map<String, Object> lostMessagesInStore(ClusterLauncher cluster, Verdict verdict, Consumer<String> log) {
        InvariantResult lossRule = verdict.invariant("no-lost-ack");
        if (lossRule == null || lossRule.examples().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (cluster.storeUrl() == null) {
            out.put("checked", false);
            out.put("line", "not read back: each node's RocksDB is its own (pinned homes)");
            return out;
        }
        Map<StoredCheck.Key, List<String>> missingOn = new LinkedHashMap<>();
        for (Example e : lossRule.examples()) {
            if (e.message() != null && missingOn.size() < LOST_READ_BACK_MAX) {
                missingOn.put(new StoredCheck.Key(e.message().chat(), e.message().seq()), e.missingOn());
            }
        }
        try {
            Map<StoredCheck.Key, StoredMessage> found = StoredCheck.read(cluster.storeUrl(), missingOn.keySet());
            List<Map<String, Object>> messages = new ArrayList<>();
            int stored = 0;
            for (Map.Entry<StoredCheck.Key, StoredMessage> f : found.entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("chat", f.getKey().chat());
                m.put("seq", f.getKey().seq());
                m.put("stored", f.getValue() != null);
                if (f.getValue() != null) {
                    m.put("cmid", f.getValue().cmid());
                    m.put("sender", f.getValue().sender());
                    stored++;
                }
                m.put("missing_on", missingOn.get(f.getKey()));
                messages.add(m);
            }
            out.put("checked", true);
            out.put("read_back", found.size());
            out.put("stored", stored);
            out.put("messages", messages);
            out.put("line", stored + " of the " + found.size() + " named read back are in the store, so really missing"
                    + " from the devices named" + (stored < found.size() ? "; " + (found.size() - stored)
                    + " are not stored (a recording fault, not a loss)" : ""));
        } catch (RuntimeException e) {
            out.put("checked", false);
            out.put("line", "could not read back: " + e.getMessage());
        }
        log.accept("[real] " + out.get("line"));
        return out;
    }

    private static List<Path> nodeHistories(ClusterLauncher cluster) {
        List<Path> files = new ArrayList<>();
        for (String node : cluster.nodeNames()) {
            files.add(cluster.historyOf(node));
        }
        return files;
    }

    /**
     * Merges the fleet's history parts with the events the nodes' servers recorded themselves
     * (membership changes, as the simulator's servers record them into the run's history): each
     * node's file ({@link NodeHistoryFile}, on the host clock) is put on the fleet's clock, whose
     * zero is {@code fleetZeroHostMicros} on the host's, as a part of its own in {@code workDir}
     * for the merge, and removed after it. The nodes' parts never hold back the quiesce: it stays
     * where the fleet's parts put it.
     */
    static HistoryMerge.Merged mergeWithNodes(List<Path> fleetParts, List<Path> nodeHistories, long fleetZeroHostMicros,
                                              Path workDir, HistorySink out) throws IOException {
        List<Path> nodeParts = new ArrayList<>();
        try {
            for (int i = 0; i < nodeHistories.size(); i++) {
                Path part = workDir.resolve("node-" + (i + 1) + "-history.run.jsonl");
                nodeParts.add(part);
                try (HistoryWriter writer = HistoryWriter.open(part)) {
                    for (HistoryEvent event : NodeHistoryFile.readFrom(nodeHistories.get(i), fleetZeroHostMicros)) {
                        writer.write(event);
                    }
                }
            }
            return HistoryMerge.merge(fleetParts, nodeParts, out);
        } finally {
            for (Path part : nodeParts) {
                Files.deleteIfExists(part);
            }
        }
    }

    private static void logMerge(HistoryMerge.Merged merged, Path historyFile, Consumer<String> log) {
        log.accept(String.format(Locale.ROOT, "[real] merged %d events from %d parts (the fleet's, then the nodes' own"
                + " membership events; events per part: %s) into %s; quiesce at t=%d", merged.events(),
                merged.eventsPerPart().size(), merged.eventsPerPart(), historyFile, merged.quiesceT()));
    }

    /** A restart, then the node's skew and cuts again (the new process starts with none). */
    private static boolean restart(ProcessFaults faults, NodeStateFaults nodeFaults, String node) throws Exception {
        if (!faults.restart(node)) {
            return false;
        }
        nodeFaults.reapply(node);
        return true;
    }

    /** The quiesce: cuts end and the store recovers, dead nodes restart, and every node gets its state (its skew) again. */
    private static boolean recover(ProcessFaults faults, NodeStateFaults nodeFaults, List<String> nodes) throws Exception {
        nodeFaults.quiesce();
        boolean restarted = faults.restartAllDown() > 0;
        for (String node : nodes) {
            nodeFaults.reapply(node);
        }
        return restarted;
    }

    private static StoreProcesses storeProcesses(ClusterLauncher cluster) {
        return new StoreProcesses() {
            @Override
            public boolean kill(String target) {
                return cluster.killStore(target);
            }

            @Override
            public boolean restart(String target) throws IOException {
                return cluster.restartStore(target);
            }
        };
    }

    private static NodeProcesses processes(ClusterLauncher cluster) {
        return new NodeProcesses() {
            @Override
            public boolean kill(String node) {
                return cluster.kill(node);
            }

            @Override
            public boolean restart(String node) throws IOException {
                if (cluster.isAlive(node)) {
                    return false;
                }
                cluster.restart(node);
                return true;
            }

            @Override
            public boolean isAlive(String node) {
                return cluster.isAlive(node);
            }
        };
    }

    private static Map<String, String> nodeArgs(Scenario s) {
        Map<String, String> args = new LinkedHashMap<>();
        Scenario.Topology t = s.topology();
        args.put("routing", t.routing().name().toLowerCase(Locale.ROOT));
        args.put("sequencing", t.sequencing().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        args.put("fanout", t.fanOut().mode().name().toLowerCase(Locale.ROOT));
        args.put("hybrid-threshold", String.valueOf(t.fanOut().pullAboveMembers()));
        args.put("ownership", t.pinned() ? "pinned" : "follow-membership");
        // The run's chaos skews clocks, slows the store and cuts peer links through each node's /chaos.
        args.put("chaos", "on");
        if (!Scenario.PRESENCE_DEFAULT.equals(s.realPresence())) {
            args.put("presence", s.realPresence());
        }
        Scenario.RealCache cache = s.realStore().cache();
        if (cache != null) {
            args.put("cache", cache.kind());
            args.put("cache-recent", String.valueOf(cache.recent()));
        }
        return args;
    }

    private static ClientConfig clientConfig(Scenario s) {
        return ClientConfig.defaults().withContiguousSeqs(s.topology().sequencing().contiguous())
                .withReconnect(s.client().reconnect());
    }

    private static String progressOf(RunRecorder recorder) {
        synchronized (recorder) {
            return "history_events=" + recorder.events() + " acks=" + recorder.acks() + " delivers=" + recorder.delivers()
                    + " connects=" + recorder.connects();
        }
    }

    /** The run's counts, with the devices that lost their connection and never had it back. */
    private static Map<String, Object> countsOf(RunRecorder recorder) {
        synchronized (recorder) {
            Map<String, Object> counts = recorder.counts();
            counts.put("devices_never_reconnected", recorder.devicesNeverReconnected());
            return counts;
        }
    }

    private static Map<String, Object> summary(Scenario file, Scenario s, RealScale scale, long seed, RunRecorder recorder,
                                               ChaosPlan chaos, ProcessFaults faults, NodeStateFaults nodeFaults,
                                               Map<String, Map<String, Object>> nodeChaos, Map<String, Object> membership,
                                               Map<String, Object> partitionFilter, Map<String, Long> allFaults,
                                               List<String> skipped, RealDriver.Outcome outcome, Map<String, Object> fleet,
                                               double clusterSeconds, Verdict verdict) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("scenario", s.name());
        out.put("engine", "real");
        out.put("settings", file.settings());
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("factor", scale.factor());
        sc.put("devices_max", scale.devicesMax());
        sc.put("cores", Runtime.getRuntime().availableProcessors());
        sc.put("users", s.population().users());
        sc.put("devices", s.population().users() * s.population().devicesPerUser());
        sc.put("chats", s.population().chats());
        sc.put("messages_per_second", s.workload().messagesPerSecond());
        out.put("scale", sc);
        out.put("cluster_start_seconds", clusterSeconds);
        out.put("counts", countsOf(recorder));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("planned", chaos.plan().size());
        Map<String, Long> plannedByKind = new TreeMap<>();
        for (FaultPlan.Scheduled p : chaos.plan().faults()) {
            plannedByKind.merge(p.fault().kind(), 1L, Long::sum);
        }
        f.put("planned_by_kind", plannedByKind);
        f.put("injected", allFaults.values().stream().mapToLong(Long::longValue).sum());
        f.put("by_kind", allFaults);
        f.put("skipped", skipped);
        if (chaos.hasSwarm()) {
            f.put("swarm_mix", chaos.mix());
            f.put("swarm_drawn", chaos.drawn());
        }
        List<Map<String, Object>> log = new ArrayList<>();
        List<ProcessFaults.Injected> injected = new ArrayList<>(faults.injected());
        injected.addAll(nodeFaults.injected());
        for (ProcessFaults.Injected i : injected) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", i.kind());
            e.put("node", i.node());
            e.put("took_us", i.tookMicros());
            log.add(e);
        }
        f.put("log", log);
        f.put("timeline", outcome.faultLog());
        // What the nodes' own chaos did, read from each node at the end (a node restarted since counts from its restart).
        f.put("nodes", nodeChaos);
        f.put("membership", membership);
        if (!partitionFilter.isEmpty()) {
            f.put("partition_filter", partitionFilter);
        }
        out.put("faults", f);
        out.put("fleet", fleet);
        recorder.putLatency(out);
        out.put("reconnect_us", recorder.reconnectTime());
        out.put("reconnect_curve", recorder.reconnectCurve());
        out.put("valid", verdict.valid());
        out.put("verdict", JSON.readTree(VerdictJson.toJson(verdict)));
        return out;
    }

    /**
     * What the nodes' views say about membership: which nodes, during the run (t >= 0), were given
     * a view without some node (a split, or a node down), the first such time, and whether every
     * node answering at the end lists them all.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> membership(Map<String, Map<String, Object>> nodeChaos, List<String> all) {
        String whole = String.join(",", new java.util.TreeSet<>(all));
        List<String> partial = new ArrayList<>();
        double firstPartial = Double.NaN;
        boolean wholeAtEnd = nodeChaos.size() == all.size();
        for (Map.Entry<String, Map<String, Object>> node : nodeChaos.entrySet()) {
            for (Map<String, Object> view : (List<Map<String, Object>>) node.getValue().getOrDefault("views", List.of())) {
                double t = ((Number) view.get("t_s")).doubleValue();
                if (t >= 0 && !whole.equals(view.get("members"))) {
                    if (!partial.contains(node.getKey())) {
                        partial.add(node.getKey());
                    }
                    firstPartial = Double.isNaN(firstPartial) ? t : Math.min(firstPartial, t);
                }
            }
            wholeAtEnd &= whole.equals(node.getValue().get("members"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes_with_partial_view_during_run", partial);
        if (!partial.isEmpty()) {
            out.put("first_partial_view_t_s", firstPartial);
        }
        out.put("whole_at_end", wholeAtEnd);
        return out;
    }

    private static String curveLine(List<Map<String, Object>> curve) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> p : curve) {
            b.append(p.get("second")).append(':').append(p.get("connects")).append('/').append(p.get("disconnects")).append(' ');
        }
        return b.toString().trim();
    }

    private static String describe(Scenario s) {
        Scenario.Population p = s.population();
        return s.topology().describe() + " users=" + p.users() + "x" + p.devicesPerUser() + " chats=" + p.chats() + "x"
                + p.groupSize() + " rate=" + s.workload().messagesPerSecond() + "/s duration="
                + Durations.format(s.durationMicros()) + " quiesce_at=" + Durations.format(s.quiesceAtMicros())
                + " faults=" + s.chaos().scheduled() + (s.chaos().swarm() != null ? "+swarm" : "");
    }
}
