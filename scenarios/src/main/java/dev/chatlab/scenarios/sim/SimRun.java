package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatlab.checker.HistoryChecker;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;
import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.harness.InMemoryCluster;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs a scenario in the deterministic in-memory cluster (chat-core's state machines in virtual
 * time) and writes what happened, judged: {@code history.jsonl.gz}, {@code summary.json},
 * {@code verdict.json} and {@code verdict.xml}. The same scenario and seed give byte-identical
 * files: every random choice comes from streams split off the one seed, and nothing reads the
 * wall clock.
 *
 * <pre>{@code
 * Scenario scenario = ScenarioLoader.load(Path.of("scenarios/library/smoke.yaml"));
 * long seed = SimRun.seedFor(null, scenario);
 * SimRun.Result result = SimRun.run(scenario, seed, SimRun.defaultOut(scenario, seed), System.out, System.err);
 * System.exit(result.exitCode());   // 0 valid, 1 an invariant violated
 * }</pre>
 */
public final class SimRun {

    /** The seed when neither the command line nor the file names one. */
    public static final long DEFAULT_SEED = 1;
    /** Virtual time run between two slices of generated workload. */
    static final long SLICE_MICROS = 100_000;
    /** Devices come online spread over this window at the start, not all in the same microsecond. */
    static final long LOGIN_SPREAD_MICROS = 100_000;
    /** Progress lines shown over a run, at most (and at least one virtual second apart). */
    static final int PROGRESS_LINES_MAX = 20;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** What a run concluded and where it wrote it. */
    public record Result(long seed, Path outDir, Verdict verdict, Map<String, Object> counts) {
        /** 0 when every invariant held, 1 when one was violated (2 if the history itself was unreadable, a bug). */
        public int exitCode() {
            return verdict.exitCode();
        }
    }

    private SimRun() {
    }

    /** The seed of the command line if given, else the file's, else {@link #DEFAULT_SEED}. */
    public static long seedFor(Long commandLineSeed, Scenario scenario) {
        if (commandLineSeed != null) {
            return commandLineSeed;
        }
        return scenario.seed() != null ? scenario.seed() : DEFAULT_SEED;
    }

    /** {@code runs/<name>-<seed>}, relative to the working directory. */
    public static Path defaultOut(Scenario scenario, long seed) {
        return Path.of("runs", scenario.name() + "-" + seed);
    }

    /**
     * Runs the scenario. {@code out} gets {@code seed=N} first, then the settings and the verdict
     * summary; {@code progress} gets a line per stretch of virtual time.
     */
    public static Result run(Scenario scenario, long seed, Path outDir, PrintStream out, PrintStream progress)
            throws IOException {
        out.println("seed=" + seed);
        out.println("scenario=" + scenario.name() + " engine=sim " + describe(scenario));
        out.flush();
        Files.createDirectories(outDir);
        Path historyFile = outDir.resolve("history.jsonl.gz");

        SplittableRandom root = new SplittableRandom(seed);
        long clusterSeed = root.nextLong();
        SplittableRandom populationRandom = root.split();
        SplittableRandom workloadRandom = root.split();
        SplittableRandom loginRandom = root.split();

        HistoryChecker checker = new HistoryChecker();
        RunStats stats = new RunStats();
        InMemoryCluster cluster;
        try (HistoryWriter writer = HistoryWriter.open(historyFile)) {
            cluster = new InMemoryCluster(clusterSeed, serverConfig(scenario), clientConfig(scenario),
                    HistorySink.all(writer, checker, stats));
            Population people = Population.draw(scenario.population(), populationRandom);
            build(cluster, scenario, people, loginRandom);
            WorkloadGenerator workload = new WorkloadGenerator(scenario.workload(), people, workloadRandom,
                    scenario.quiesceAtMicros());
            long progressEvery = Math.max(1_000_000,
                    roundUp(scenario.durationMicros() / PROGRESS_LINES_MAX, SLICE_MICROS));
            long nextProgress = progressEvery;
            for (long t = 0; t < scenario.durationMicros(); ) {
                long until = Math.min(t + SLICE_MICROS, scenario.durationMicros());
                workload.emitUntil(until, cluster::act);
                cluster.runUntil(until);
                t = until;
                if (t >= nextProgress || t == scenario.durationMicros()) {
                    progress.println("[sim] t=" + Durations.format(t) + "/" + Durations.format(scenario.durationMicros())
                            + " events=" + stats.events() + " acks=" + stats.acks() + " faults=" + faultsInjected(cluster));
                    progress.flush();
                    nextProgress += progressEvery;
                }
            }
        }
        Verdict verdict = checker.finish();

        try (Writer json = Files.newBufferedWriter(outDir.resolve("verdict.json"), StandardCharsets.UTF_8)) {
            VerdictJson.write(verdict, json);
        }
        Files.writeString(outDir.resolve("verdict.xml"), VerdictJunit.toXml(verdict, "history.jsonl.gz"),
                StandardCharsets.UTF_8);
        Map<String, Object> summary = summary(scenario, seed, stats, cluster, verdict);
        Files.writeString(outDir.resolve("summary.json"), JSON.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);

        out.println("counts: " + stats.counts() + " faults injected=" + faultsInjected(cluster)
                + " of " + scenario.faults().size() + " planned");
        out.println("latency_us: " + stats.latency());
        out.print(VerdictSummary.render(verdict, historyFile.toString()));
        out.println("wrote " + outDir + ": " + String.join(", ", files()));
        out.flush();
        return new Result(seed, outDir, verdict, stats.counts());
    }

    private static ServerConfig serverConfig(Scenario scenario) {
        Scenario.Topology t = scenario.topology();
        return ServerConfig.defaults().withSequencing(t.sequencing()).withFanOut(t.fanOut()).withRouting(t.routing());
    }

    private static ClientConfig clientConfig(Scenario scenario) {
        // Clock-based ids have gaps by design: a device must show them as they come, not wait for a "hole".
        return ClientConfig.defaults().withContiguousSeqs(scenario.topology().sequencing().contiguous())
                .withReconnect(scenario.client().reconnect());
    }

    private static void build(InMemoryCluster cluster, Scenario scenario, Population people, SplittableRandom random) {
        cluster.addNodes(scenario.topology().nodeIds().toArray(String[]::new));
        for (String user : people.users()) {
            for (String device : people.devices()) {
                cluster.addDevice(user, device);
            }
        }
        for (int c = 0; c < people.chats().size(); c++) {
            cluster.seedChat(people.chats().get(c), people.members().get(c));
        }
        for (String user : people.users()) {
            for (String device : people.devices()) {
                cluster.act(random.nextLong(LOGIN_SPREAD_MICROS), user, device, new UserAction.GoOnline());
            }
        }
        for (Scenario.Fault fault : scenario.faults()) {
            if (fault instanceof Scenario.Fault.Kill k) {
                cluster.crash(k.atMicros(), k.node());
            } else if (fault instanceof Scenario.Fault.Restart r) {
                cluster.restart(r.atMicros(), r.node());
            } else if (fault instanceof Scenario.Fault.Skew s) {
                cluster.skewClock(s.atMicros(), s.node(), s.offsetMicros());
            }
        }
        cluster.quiesce(scenario.quiesceAtMicros());
    }

    private static Map<String, Object> summary(Scenario scenario, long seed, RunStats stats, InMemoryCluster cluster,
                                               Verdict verdict) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("scenario", scenario.name());
        out.put("engine", "sim");
        out.put("settings", scenario.settings());
        out.put("counts", stats.counts());
        Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("planned", scenario.faults().size());
        faults.put("injected", faultsInjected(cluster));
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> other = new TreeMap<>();
        for (Map.Entry<String, Long> e : cluster.counters().entrySet()) {
            if (e.getKey().startsWith("fault.")) {
                byKind.put(e.getKey().substring("fault.".length()), e.getValue());
            } else {
                other.put(e.getKey(), e.getValue());
            }
        }
        faults.put("by_kind", byKind);
        out.put("faults", faults);
        out.put("cluster_counters", other);
        out.put("latency_us", stats.latency());
        out.put("valid", verdict.valid());
        out.put("verdict", JSON.readTree(VerdictJson.toJson(verdict)));
        return out;
    }

    private static long faultsInjected(InMemoryCluster cluster) {
        long n = 0;
        for (Map.Entry<String, Long> e : cluster.counters().entrySet()) {
            if (e.getKey().startsWith("fault.")) {
                n += e.getValue();
            }
        }
        return n;
    }

    private static String describe(Scenario scenario) {
        Scenario.Topology t = scenario.topology();
        Scenario.Population p = scenario.population();
        return t.describe()
                + " users=" + p.users() + "x" + p.devicesPerUser() + " chats=" + p.chats() + "x" + p.groupSize()
                + " rate=" + scenario.workload().messagesPerSecond() + "/s"
                + " duration=" + Durations.format(scenario.durationMicros())
                + " quiesce_at=" + Durations.format(scenario.quiesceAtMicros())
                + " faults=" + scenario.faults().size();
    }

    private static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }

    /** The files every run writes to its output folder. */
    public static List<String> files() {
        return List.of("history.jsonl.gz", "summary.json", "verdict.json", "verdict.xml");
    }
}
