package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatlab.checker.HistoryChecker;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;
import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.FaultsLine;
import dev.chatlab.scenarios.Overload;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.slo.RunSlos;
import dev.chatlab.scenarios.slo.SloResult;
import dev.chatlab.stats.RunRecorder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a scenario in the simulator (the engine its {@code level} asks for: {@link FullEngine},
 * chat-core's state machines on the sim-core kernel) and writes what happened, judged: {@code history.jsonl.gz}, {@code summary.json},
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
    /** Buckets of the over-time series: about this many over a run... */
    static final int SERIES_BUCKETS_TARGET = 60;
    /** ...each a multiple of this. */
    static final long SERIES_BUCKET_STEP_MICROS = 100_000;
    /** A real run's reconnect curve's bucket: one second. */
    static final long REAL_CURVE_BUCKET_MICROS = 1_000_000;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** What a run concluded and where it wrote it. */
    public record Result(long seed, Path outDir, Verdict verdict, Map<String, Object> counts, long faultsInjected,
                         boolean converged, List<SloResult> slos) {
        /** 0 when every invariant held and every SLO was met, 1 when not (2 if the history itself was unreadable, a bug). */
        public int exitCode() {
            int exit = verdict.exitCode();
            // A run that never settled failed even if what it recorded broke no rule (a send never answered).
            return exit == Verdict.EXIT_VALID && (!converged || !slosMet()) ? Verdict.EXIT_VIOLATED : exit;
        }

        public boolean slosMet() {
            return SloResult.allMet(slos);
        }

        /** Acknowledged messages. */
        public long acks() {
            return ((Number) counts.get("acks")).longValue();
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
        return run(scenario, seed, outDir, out, progress, UnaryOperator.identity());
    }

    /**
     * Like {@link #run(Scenario, long, Path, PrintStream, PrintStream)}, with every history event
     * going through {@code tap} before anything records or judges it: a test plants a fault of the
     * recording side there (a device that drops one delivery) and sees what the run makes of it.
     */
    static Result run(Scenario scenario, long seed, Path outDir, PrintStream out, PrintStream progress,
                      UnaryOperator<HistorySink> tap) throws IOException {
        out.println("seed=" + seed);
        out.println("scenario=" + scenario.name() + " engine=sim level=" + scenario.level().word() + " " + describe(scenario));
        out.flush();
        Files.createDirectories(outDir);
        Path historyFile = outDir.resolve("history.jsonl.gz");

        long bucket = bucketMicros(scenario);
        HistoryChecker checker = new HistoryChecker();
        RunRecorder stats = new RunRecorder(bucket).measuringFrom(scenario.workload().warmupMicros());
        SimEngine.Report report;
        try (HistoryWriter writer = HistoryWriter.open(historyFile)) {
            report = SimEngine.forLevel(scenario.level())
                    .run(scenario, seed, tap.apply(HistorySink.all(writer, checker, stats)), stats, bucket, checker::backlog,
                            progress);
        }
        Verdict verdict = checker.finish();

        try (Writer json = Files.newBufferedWriter(outDir.resolve("verdict.json"), StandardCharsets.UTF_8)) {
            VerdictJson.write(verdict, json);
        }
        Files.writeString(outDir.resolve("verdict.xml"), VerdictJunit.toXml(verdict, "history.jsonl.gz"),
                StandardCharsets.UTF_8);
        Map<String, Object> summary = summary(scenario, seed, stats, report, bucket, verdict);
        Files.writeString(outDir.resolve("summary.json"), JSON.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);

        out.println("counts: " + stats.counts());
        out.println(FaultsLine.of(report.faults()));
        out.println(reconnectPeaks(stats.connectsOverTime(scenario.durationMicros()), attempts(report), bucket,
                scenario.durationMicros()));
        out.println(stats.latencyLines());
        out.println("convergence: " + report.convergence().get("line"));
        out.println("overload: " + ((Map<?, ?>) summary.get("overload")).get("line"));
        out.print(VerdictSummary.render(verdict, historyFile.toString()));
        boolean converged = Boolean.TRUE.equals(report.convergence().get("converged"));
        if (!converged && verdict.valid()) {
            out.println("FAILED: the run " + report.convergence().get("line"));
        }
        List<SloResult> slos = RunSlos.record(scenario, summary, verdict, outDir, "history.jsonl.gz", out);
        out.println("wrote " + outDir + ": " + String.join(", ", files()));
        out.flush();
        return new Result(seed, outDir, verdict, stats.counts(), report.faultsInjected(), converged, slos);
    }

    private static List<Long> attempts(SimEngine.Report report) {
        List<Long> out = new ArrayList<>();
        if (report.overTime().get("connect_attempts") instanceof List<?> list) {
            for (Object o : list) {
                out.add(((Number) o).longValue());
            }
        }
        return out;
    }

    /**
     * The console's reconnect line. The two peaks are separate buckets (an attempt refused in one
     * bucket is retried in a later one), so each is given with its time; the bucket length is
     * stated with why it is what it is, since it grows with the run's length.
     */
    static String reconnectPeaks(List<Long> connects, List<Long> attempts, long bucketMicros, long durationMicros) {
        int connectPeak = peakAfterLogin(connects, bucketMicros);
        int attemptPeak = peakAfterLogin(attempts, bucketMicros);
        return "reconnects after the first second's logins: at most " + at(connects, connectPeak) + " devices connected"
                + " in one " + Durations.format(bucketMicros) + " bucket" + when(connectPeak, bucketMicros)
                + ", at most " + at(attempts, attemptPeak) + " connect attempts in one" + when(attemptPeak, bucketMicros)
                + " (buckets of " + Durations.format(bucketMicros) + ": the run's " + Durations.format(durationMicros)
                + " in about " + SERIES_BUCKETS_TARGET + ", a multiple of " + Durations.format(SERIES_BUCKET_STEP_MICROS)
                + "; summary.json over_time has every bucket)";
    }

    /** The bucket, at 1 s or later, with the largest count (the first such); -1 when the run is that short. */
    private static int peakAfterLogin(List<Long> series, long bucketMicros) {
        int peak = -1;
        for (int b = (int) ((1_000_000 + bucketMicros - 1) / bucketMicros); b < series.size(); b++) {
            if (peak < 0 || series.get(b) > series.get(peak)) {
                peak = b;
            }
        }
        return peak;
    }

    private static long at(List<Long> series, int bucket) {
        return bucket < 0 ? 0 : series.get(bucket);
    }

    private static String when(int bucket, long bucketMicros) {
        return bucket < 0 ? "" : " (from t=" + Durations.format(bucket * bucketMicros) + ")";
    }

    /**
     * The series' bucket of a run of {@code scenario}: whole seconds when its logins are paced as a
     * real run's (a file meant to be compared with one: a real run's reconnect curve counts whole
     * seconds, and a rate's peak is only comparable over buckets of one length), else
     * {@link #bucketMicros(long)}.
     */
    static long bucketMicros(Scenario scenario) {
        return scenario.client().pacedLogins() ? REAL_CURVE_BUCKET_MICROS : bucketMicros(scenario.durationMicros());
    }

    /** About {@link #SERIES_BUCKETS_TARGET} buckets over the run, each a multiple of 100 ms. */
    static long bucketMicros(long durationMicros) {
        return Math.max(SERIES_BUCKET_STEP_MICROS, roundUp(durationMicros / SERIES_BUCKETS_TARGET, SERIES_BUCKET_STEP_MICROS));
    }

    private static Map<String, Object> summary(Scenario scenario, long seed, RunRecorder stats, SimEngine.Report report,
                                               long bucket, Verdict verdict) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("scenario", scenario.name());
        out.put("engine", "sim");
        out.put("level", scenario.level().word());
        out.put("settings", scenario.settings());
        out.put("counts", stats.counts());
        out.put("faults", report.faults());
        out.put("world_counters", report.counters());
        Map<String, Object> overTime = new LinkedHashMap<>();
        overTime.put("bucket", Durations.format(bucket));
        // A run that waited for convergence ends after its duration: the series cover the whole run.
        long end = ((Number) report.convergence().get("ended_at_us")).longValue();
        List<Long> connects = stats.connectsOverTime(end);
        List<Long> disconnects = stats.disconnectsOverTime(end);
        List<Long> online = new ArrayList<>(connects.size());
        long level = 0;
        for (int i = 0; i < connects.size(); i++) {
            level += connects.get(i) - disconnects.get(i);
            online.add(level);
        }
        overTime.put("connects", connects);
        overTime.put("disconnects", disconnects);
        overTime.put("online_at_bucket_end", online);
        overTime.putAll(report.overTime());
        out.put("over_time", overTime);
        stats.putLatency(out);
        out.put("reconnect_us", stats.reconnectTime());
        out.put("convergence", report.convergence());
        if (!report.work().isEmpty()) {
            out.put("node_work", report.work());
        }
        out.put("overload", Overload.of(stats.counts(), stats.latency(), report.convergence(), Map.of()));
        out.put("valid", verdict.valid());
        out.put("verdict", JSON.readTree(VerdictJson.toJson(verdict)));
        return out;
    }

    private static String describe(Scenario scenario) {
        Scenario.Topology t = scenario.topology();
        Scenario.Population p = scenario.population();
        return t.describe()
                + " store=" + scenario.store().kind().name().toLowerCase(java.util.Locale.ROOT)
                + " users=" + p.users() + "x" + p.devicesPerUser() + " chats=" + p.chats() + "x"
                + (p.groupSizes().zipf() ? "zipf(" + p.groupSizes().exponent() + ")<=" + p.groupSizes().max() : p.groupSize())
                + (p.megaChats() > 0 ? "+" + p.megaChats() + "x" + p.megaGroupSize() : "")
                + " rate=" + scenario.workload().messagesPerSecond() + "/s" + shapes(scenario.workload())
                + " duration=" + Durations.format(scenario.durationMicros())
                + " quiesce_at=" + Durations.format(scenario.quiesceAtMicros())
                + " faults=" + scenario.chaos().scheduled() + (scenario.chaos().swarm() != null ? "+swarm" : "");
    }

    /** The optional workload shapes in use, for the console: {@code  diurnal=0.8/4s activity=zipf(1.1) think=300ms}. */
    private static String shapes(Scenario.Workload w) {
        StringBuilder out = new StringBuilder();
        if (!w.diurnal().isNone()) {
            out.append(" diurnal=").append(w.diurnal().amplitude()).append('/').append(Durations.format(w.diurnal().periodMicros()));
        }
        if (w.userActivity().zipf()) {
            out.append(" activity=zipf(").append(w.userActivity().exponent()).append(')');
        }
        if (w.thinkTimeMicros() > 0) {
            out.append(" think=").append(Durations.format(w.thinkTimeMicros()));
        }
        return out.toString();
    }

    private static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }

    /** The files every run writes to its output folder. */
    public static List<String> files() {
        return List.of("history.jsonl.gz", "summary.json", "verdict.json", "verdict.xml");
    }
}
