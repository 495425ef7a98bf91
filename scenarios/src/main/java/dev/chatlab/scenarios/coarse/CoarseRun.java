package dev.chatlab.scenarios.coarse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatlab.chaos.Fault;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.scenarios.FaultsLine;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.slo.RunSlos;
import dev.chatlab.scenarios.slo.SloResult;
import dev.chatlab.scenarios.coarse.CoarseConfig.CoarseFault;
import dev.chatlab.scenarios.coarse.CoarseConfig.StoreCost;
import dev.chatlab.scenarios.world.StoreModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario at the coarse level (see {@link CoarseModel}) and writes {@code summary.json}
 * and the interval logs {@code send-ack.hlog} and {@code send-deliver.hlog} to the output folder: the same counts and latency percentiles as a full run, {@code "level":
 * "coarse"}, a {@code timeseries} block for the report's charts, and no history: the checker does
 * not apply at this level, so {@code verdict.json} and {@code verdict.xml} say not-applicable for
 * every invariant ({@link CoarseVerdict}).
 *
 * <pre>{@code
 * Scenario scenario = ...;                                   // population in the millions
 * CoarseRun.Result r = CoarseRun.run(scenario, seed, Path.of("runs/whatsapp-1m-1"), System.err);
 * // or, with a file's coarse: section
 * CoarseRun.run(scenario, CoarseSettings.parse(section), seed, outDir, System.err);
 * }</pre>
 */
public final class CoarseRun {

    /** What the summary says in place of a verdict. */
    public static final String CHECKER_NOTE = "checker: not applicable at coarse level";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CoarseRun() {
    }

    /**
     * {@code CoarseRun FILE [--seed N] [--out DIR]}: runs a coarse scenario file without the CLI
     * (until {@code chatlab run} dispatches {@code level: coarse} here). Prints {@code seed=} first;
     * exits 0, or 2 for a bad file or arguments.
     */
    /** What a coarse run measured and where it wrote it; the exit code is 0 (no invariant is judged). */
    public record Result(long seed, Path outDir, Map<String, Long> counts, Map<String, Object> summary,
                         List<SloResult> slos) {
        /** 0, or 1 when an SLO of the scenario was not met (no invariant is judged at this level). */
        public int exitCode() {
            return SloResult.allMet(slos) ? 0 : 1;
        }
    }

    /** Runs with the settings of the scenario's {@code coarse:} section (defaults where it is silent). */
    public static Result run(Scenario scenario, long seed, Path outDir, PrintStream progress) throws IOException {
        return run(scenario, CoarseSettings.parse(scenario.coarse()), seed, outDir, progress);
    }

    public static Result run(Scenario scenario, CoarseSettings settings, long seed, Path outDir, PrintStream progress)
            throws IOException {
        List<String> skipped = new ArrayList<>();
        CoarseConfig config = config(scenario, settings, skipped);
        if (progress != null) {
            progress.println("seed=" + seed);
            progress.println("scenario=" + scenario.name() + " engine=sim level=coarse nodes=" + config.nodes()
                    + " devices=" + config.devices() + " rate=" + config.messagesPerSecond() + "/s");
        }
        CoarseModel model = new CoarseModel(config, seed, progress);
        for (String kind : skipped) {
            model.skipFault(kind);
        }
        Files.createDirectories(outDir);
        try (HlogOutput logs = HlogOutput.open(outDir)) {
            model.setIntervalSink(logs);
            model.run();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seed", seed);
        summary.put("scenario", scenario.name());
        summary.put("engine", "sim");
        summary.put("level", "coarse");
        Map<String, Object> words = new LinkedHashMap<>(scenario.settings());
        words.put("level", "coarse");
        words.put("coarse", settings.words());
        summary.put("settings", words);
        summary.putAll(CoarseSummary.of(config, model));
        summary.put("checker", CHECKER_NOTE);
        Map<String, Object> convergence = new LinkedHashMap<>();
        convergence.put("modelled", false);
        convergence.put("reason", "the coarse level keeps no device's deliveries, so it cannot tell when every device"
                + " has caught up; run the full level (or the real engine) for the time to converge");
        summary.put("convergence", convergence);
        Verdict verdict = CoarseVerdict.of();
        summary.put("verdict", JSON.readTree(VerdictJson.toJson(verdict)));
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("summary.json"), JSON.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);
        CoarseVerdict.write(verdict, outDir);
        if (progress != null) {
            progress.println("counts: " + model.counts());
            @SuppressWarnings("unchecked")
            Map<String, Object> faults = (Map<String, Object>) summary.get("faults");
            progress.println(FaultsLine.of(faults));
            progress.println("latency_us: " + summary.get("latency_us"));
            progress.println(CHECKER_NOTE + ": no history is recorded, so verdict.json and verdict.xml list every"
                    + " invariant as not-applicable (reason: " + CoarseVerdict.REASON + ")");
        }
        List<SloResult> slos = RunSlos.record(scenario, summary, verdict, outDir, "(no history at the coarse level)", progress);
        if (progress != null) {
            progress.println("wrote " + outDir + ": " + String.join(", ", files()));
            progress.flush();
        }
        return new Result(seed, outDir, model.counts(), summary, slos);
    }

    /** The files a coarse run writes to its output folder (no history; a verdict that judged nothing). */
    public static List<String> files() {
        return List.of("summary.json", "verdict.json", "verdict.xml", HlogOutput.SEND_ACK, HlogOutput.SEND_DELIVER);
    }

    /** The coarse model's parameters for a scenario; faults this level does not model are added to {@code skipped}. */
    static CoarseConfig config(Scenario s, CoarseSettings k, List<String> skipped) {
        Scenario.Population p = s.population();
        long devices = (long) p.users() * p.devicesPerUser();
        int groupMax = k.groupSizeMax() > 0 ? k.groupSizeMax() : Math.max(2, p.groupSize());
        int chatsAll = p.chats() + p.megaChats();
        double megaFraction = p.megaChats() > 0 && p.megaGroupSize() >= 2 && chatsAll > 0
                ? (double) p.megaChats() / chatsAll : 0;
        FanOut fanOut = s.topology().fanOut();
        int pullAbove = fanOut.mode() == FanOut.Mode.PUSH ? CoarseConfig.GROUP_SIZE_LIMIT
                : fanOut.mode() == FanOut.Mode.PULL ? 0 : fanOut.pullAboveMembers();
        Scenario.Network net = s.network();
        List<String> nodes = s.topology().nodeIds();
        List<CoarseFault> faults = new ArrayList<>();
        for (FaultPlan.Scheduled scheduled : s.chaos().schedule().faults()) {
            long at = scheduled.atMicros();
            Fault f = scheduled.fault();
            if (f instanceof Fault.Kill kill) {
                faults.add(CoarseFault.kill(at, nodes.indexOf(kill.node()), kill.downMicros()));
            } else if (f instanceof Fault.Restart restart) {
                faults.add(CoarseFault.restart(at, nodes.indexOf(restart.node())));
            } else if (f instanceof Fault.MassDisconnect herd) {
                faults.add(CoarseFault.massDisconnect(at, nodes.indexOf(herd.node())));
            } else if (f instanceof Fault.SlowDisk slow) {
                faults.add(CoarseFault.slowStore(at, slow.factor(), slow.durationMicros()));
            } else {
                skipped.add(f.kind());
            }
        }
        if (s.chaos().swarm() != null) {
            skipped.add("swarm");
        }
        return new CoarseConfig(s.name(), s.durationMicros(), s.topology().nodes(), devices, p.devicesPerUser(),
                k.connectionsPerServer(), s.workload().messagesPerSecond(), k.diurnalAmplitude(), k.diurnalPeriodMicros(),
                groupMax, k.groupZipfExponent(), megaFraction, p.megaGroupSize(), pullAbove, k.pullIntervalMicros(),
                k.serverThreads(), k.sendServiceMicros(), k.deliverServiceMicros(), k.connectServiceMicros(),
                k.serviceSigma(), k.storeConcurrency(), storeCost(s.store()), net.client().medianMicros(),
                net.node().medianMicros(), net.store().medianMicros(), net.client().sigma(),
                net.failureDetectionMicros(), net.connectTimeoutMicros(), s.client().reconnect(), s.quiesceAtMicros(),
                k.intervalMicros(), faults, k.messageSample(), k.sessionServiceMicros(), chatsAll);
    }

    private static StoreCost storeCost(StoreModel m) {
        if (m.ops() != null) {
            // The coarse level stores messages and reads none back: of the file's operations only append matters.
            return StoreCost.measured(m.ops().source(), m.ops().op("append"), m.ops().op("raisewatermark"));
        }
        if (m.kind() == StoreModel.Kind.BTREE) {
            StoreCost d = StoreCost.btree();
            return new StoreCost(StoreCost.Kind.BTREE, m.writeMedianMicros(), m.sigma(), 0, 0, d.rowsAtStart(), d.fanout());
        }
        return new StoreCost(StoreCost.Kind.LSM, m.writeMedianMicros(), m.sigma(), m.compactionEveryWrites(),
                m.compactionStallMicros(), 0, 0);
    }
}
