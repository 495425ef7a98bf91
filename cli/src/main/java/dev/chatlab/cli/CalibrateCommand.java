package dev.chatlab.cli;

import dev.chatlab.experiments.ScenarioRunner;
import dev.chatlab.experiments.calibration.ModelFile;
import dev.chatlab.experiments.calibration.ServiceTimeFit;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.scenarios.real.RealRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chatlab calibrate}: measures this machine's service times on the real cluster and writes
 * them as model files the simulator reads (docs/simulator.md, "Model files").
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {
            "Measure where a real node's time goes on this machine and write it as model files for the simulator.",
            "",
            "Runs a calibration workload (one-to-one and small-group chats, sends, reads and",
            "typing, every device logging in with a token) on a real cluster of --nodes nodes",
            "over --store for --seconds, and reads each node's service-time histograms at the",
            "end (GET /calibration on a node: per frame kind, peer message kind, store",
            "operation, and connection set-up, in nanoseconds). For each kind it fits a",
            "log-normal by maximum likelihood and the empirical quantiles (0%%, 5%%, ...,",
            "100%%), reports both fits' Kolmogorov-Smirnov D, and writes the log-normal where",
            "its D is at most 0.05, else the quantiles, into <models>/<name>-node.yaml (kind:",
            "node) and <models>/<name>-<store>.yaml (kind: store), with where they were",
            "measured (cores, CPU, Java, OS, date, this command). Rerun it on another machine",
            "for that machine's model."
        },
        footer = {
            "",
            "What a service time is here: for a frame or a peer message, from its",
            "arrival on the node's event loop to the end of the node's answer (decode,",
            "protocol, effects written out); for a store operation, from its start to",
            "its result back on the event loop (the store's own queueing included); for",
            "a connection, from the hello's arrival to its answer, the token check",
            "included. The first --warmup seconds of load (the nodes' JIT compiling,",
            "the chats' first claims, the pools filling) are left out: the nodes'",
            "histograms are cleared when they end (--warmup 0 keeps the whole run).",
            "",
            "Exit codes: 0 model files written, 1 the run measured no send, 2 bad input",
            "or the cluster could not run.",
            "",
            "Examples:",
            "  chatlab calibrate                        # 3 nodes, postgres, 30 s",
            "  chatlab calibrate --nodes 1 --seconds 60 --rate 400",
            "  chatlab calibrate --seconds 40 --rate 500 --warmup 7 --name local",
            "  chatlab calibrate --store cassandra --name laptop",
            "      # writes models/laptop-node.yaml and models/laptop-cassandra.yaml",
            "",
            "See docs/fidelity.md."
        })
final class CalibrateCommand implements Callable<Integer> {

    /**
     * The cores a node's protocol work has: one, however many the machine has, since the node runs
     * its chat protocol on its one verticle's Vert.x event loop (WebSocketGateway binds to it).
     */
    static final int NODE_PROTOCOL_CORES = 1;

    /** The node's listen backlog (WebSocketGateway's SO_BACKLOG): connection attempts that may wait. */
    static final int ACCEPT_BACKLOG = 4096;

    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "nodes of the cluster, 1 or 3 (default 3)")
    int nodes;

    @Option(names = "--store", defaultValue = "postgres", paramLabel = "KIND",
            description = "the real store: postgres (default), postgres-sharded, cassandra or rocksdb")
    String store;

    @Option(names = "--seconds", defaultValue = "30", paramLabel = "N", description = "seconds of load (default 30)")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "seconds of load at the start left out of the measurements (default 5)")
    int warmup;

    @Option(names = "--rate", defaultValue = "200", paramLabel = "MSGS",
            description = "messages a second over the whole cluster (default 200: well below saturation on 2 cores)")
    int rate;

    @Option(names = "--users", defaultValue = "300", paramLabel = "N", description = "users, one device each (default 300)")
    int users;

    @Option(names = "--name", defaultValue = "calibrated", paramLabel = "NAME",
            description = "model files are <NAME>-node.yaml and <NAME>-<store>.yaml (default calibrated)")
    String name;

    @Option(names = "--models", defaultValue = "models", paramLabel = "DIR", description = "where the model files go (default models)")
    Path models;

    @Option(names = "--out", paramLabel = "DIR", description = "the calibration run's folder; default runs/calibrate-<store>-<nodes>n")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "the workload's seed (default 1)")
    long seed;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (nodes != 1 && nodes != 3) {
            return bad("--nodes " + nodes + ": expected 1 or 3");
        }
        if (seconds < 2 || seconds > 3_600) {
            return bad("--seconds " + seconds + ": expected from 2 to 3600");
        }
        if (warmup < 0 || warmup >= seconds) {
            return bad("--warmup " + warmup + ": expected from 0 to less than --seconds (" + seconds + ")");
        }
        if (rate < 1 || users < 4 || !name.matches("[A-Za-z0-9._-]+")) {
            return bad("expected --rate of at least 1, --users of at least 4 and a --name of letters, digits, '.', '_', '-'");
        }
        Scenario scenario;
        try {
            scenario = ScenarioLoader.parse("chatlab calibrate", "calibration", workload());
        } catch (ScenarioException e) {
            return bad(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("runs", "calibrate-" + store + "-" + nodes + "n");
        System.out.println("calibrate: " + nodes + " node" + (nodes == 1 ? "" : "s") + " over " + store + ", " + users
                + " devices, " + rate + " messages/s for " + seconds + " s"
                + (warmup > 0 ? " (the first " + warmup + " s left out)" : "") + ", into " + dir);
        System.out.flush();
        ScenarioRunner.Outcome outcome = ScenarioRunner.run(Path.of("chatlab calibrate"), scenario, seed, ScenarioRunner.Engine.REAL,
                dir, RealRun.Options.defaults().withDevicesMax(Integer.MAX_VALUE), System.out, System.err);
        if (outcome.error() != null) {
            return bad(outcome.error());
        }
        try {
            NodeHistograms measured = NodeHistograms.read(dir.resolve("cluster").resolve(NodeHistograms.FILE));
            return write(measured, dir);
        } catch (IOException | IllegalArgumentException e) {
            return bad("cannot read the nodes' service times in " + dir + ": " + e.getMessage());
        }
    }

    /** The calibration scenario: mostly one-to-one chats and some groups of 5, with reads and typing, no faults. */
    String workload() {
        int chats = Math.max(2, users / 2);
        String pinned = store.equals("rocksdb") ? "\n  ownership: pinned" : "";
        return String.join("\n",
                "name: calibration",
                "duration: " + (seconds + 5) + "s",
                "quiesce_at: " + seconds + "s",
                "topology:",
                "  nodes: " + nodes + pinned,
                "population:",
                "  users: " + users,
                "  devices_per_user: 1",
                "  chats: " + chats,
                "  group_size: 5",
                "  group_sizes: {distribution: zipf, exponent: 1.5, max: 5}",
                "workload:",
                "  messages_per_second: " + rate,
                "  read_probability: 0.3",
                "  typing_probability: 0.2",
                warmup > 0 ? "  warmup: " + warmup + "s" : "",
                "store: " + store,
                "");
    }

    private int write(NodeHistograms measured, Path dir) throws IOException {
        ModelFile.Provenance p = provenance();
        Map<String, ServiceTimeFit> frames = measured.fits("frame");
        Map<String, ServiceTimeFit> peers = measured.fits("peer");
        Map<String, ServiceTimeFit> ops = measured.fits("store");
        ServiceTimeFit connect = measured.fits("connect").get("connect");
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%-22s %8s %10s %10s %7s %8s %8s  %s", "kind", "samples", "mean", "lognormal",
                "sigma", "D(logn)", "D(emp)", "written as"));
        Map<String, Map<String, ServiceTimeFit>> all = new LinkedHashMap<>();
        all.put("connect", connect == null ? Map.of() : Map.of("connect", connect));
        all.put("frame", frames);
        all.put("peer", peers);
        all.put("store", ops);
        all.forEach((family, fits) -> fits.forEach((kind, f) -> report.add(String.format(Locale.ROOT,
                "%-22s %8d %8.1fus %8.1fus %7.3f %8.3f %8.3f  %s", family + "." + kind, f.samples(), f.meanUs(), f.medianUs(),
                f.sigma(), f.ksLognormal(), f.ksEmpirical(), f.lognormalFits() ? "lognormal" : "empirical"))));
        report.forEach(System.out::println);
        Files.writeString(dir.resolve("fits.txt"), String.join("\n", report) + "\n", StandardCharsets.UTF_8);
        Files.createDirectories(models);
        Path nodeFile = models.resolve(name + "-node.yaml");
        Files.writeString(nodeFile, ModelFile.node(name + "-node", p, NODE_PROTOCOL_CORES,
                ACCEPT_BACKLOG, connect, frames, measured.pooled("frame"), peers, measured.pooled("peer")), StandardCharsets.UTF_8);
        Path storeFile = models.resolve(name + "-" + store + ".yaml");
        Files.writeString(storeFile, ModelFile.store(name + "-" + store, p, ops, measured.pooled("store")),
                StandardCharsets.UTF_8);
        System.out.println("wrote " + nodeFile + ", " + storeFile + " (fits in " + dir.resolve("fits.txt") + ")");
        if (!frames.containsKey("send")) {
            System.out.println("FAILED: the run measured no send frame: the model has no send cost");
            return Chatlab.VIOLATED;
        }
        return Chatlab.OK;
    }

    private ModelFile.Provenance provenance() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        // The parse result is the whole command line's: it starts with "calibrate".
        String by = "chatlab " + String.join(" ", args);
        return new ModelFile.Provenance(by, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), store);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: the architecture is what there is to say.
        }
        return System.getProperty("os.arch");
    }

    private static int bad(String message) {
        System.err.println("chatlab calibrate: " + message);
        return Chatlab.BAD_INPUT;
    }
}
