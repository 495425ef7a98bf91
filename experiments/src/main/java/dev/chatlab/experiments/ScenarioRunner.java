package dev.chatlab.experiments;

import dev.chatlab.reports.ReportException;
import dev.chatlab.reports.RunReport;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.HeapEstimate;
import dev.chatlab.scenarios.coarse.CoarseRun;
import dev.chatlab.scenarios.real.RealRun;
import dev.chatlab.scenarios.sim.SimRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One run of a loaded scenario, exactly as {@code chatlab run} does it: the engine and level it
 * asks for, the judged files, then {@code report.html} and the HdrHistogram logs. {@code chatlab
 * run}, {@code compare} and {@code capacity} all come through here, so a run of an experiment is
 * the run a user would get by hand with the same file, flags and seed.
 *
 * <pre>{@code
 * ScenarioRunner.Outcome o = ScenarioRunner.run(file, scenario, seed, Engine.SIM, outDir,
 *         RealRun.Options.defaults(), System.out, System.err);
 * if (o.error() != null) System.err.println(o.error());   // exit 2: the run could not be made
 * return o.exitCode();                                    // 0 held and met, 1 not, 2 could not run
 * }</pre>
 */
public final class ScenarioRunner {

    /** Exit codes, as the command line's. */
    public static final int OK = 0;
    public static final int VIOLATED = 1;
    public static final int BAD_INPUT = 2;
    /** An experiment's run keeps its console here, in its folder. */
    public static final String CONSOLE = "console.txt";

    /** Where a run happens. */
    public enum Engine {
        SIM, REAL;

        /** {@code sim} or {@code real}; null for anything else. */
        public static Engine parse(String word) {
            for (Engine e : values()) {
                if (e.word().equals(word)) {
                    return e;
                }
            }
            return null;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How a run ended: its exit code and folder, and for exit 2 the reason (without the command's
     * name, which the caller puts in front).
     */
    public record Outcome(int exitCode, Path outDir, String error) {
    }

    private ScenarioRunner() {
    }

    /** The run's folder when none is given: {@code runs/<name>-<seed>} (a real run's own default for the real engine). */
    public static Path defaultOut(Scenario scenario, long seed, Engine engine) {
        return engine == Engine.REAL ? RealRun.defaultOut(scenario, seed) : SimRun.defaultOut(scenario, seed);
    }

    /**
     * Runs {@code scenario} (loaded from {@code file}, named in messages) with {@code seed} into
     * {@code outDir}: {@code out} gets the run's console lines, {@code err} its progress and problems.
     */
    public static Outcome run(Path file, Scenario scenario, long seed, Engine engine, Path outDir, RealRun.Options options,
                              PrintStream out, PrintStream err) {
        if (engine == Engine.REAL) {
            try {
                RealRun.Result result = RealRun.run(scenario, seed, outDir, options, out, err);
                int exit = result.verdict().valid() && result.slosMet() ? OK : VIOLATED;
                writeReport(outDir, out, err);
                return new Outcome(exit, outDir, null);
            } catch (IOException | IllegalStateException e) {
                // A process that did not start or died (a node, the store, a fleet worker): the
                // message names it and its log.
                return new Outcome(BAD_INPUT, outDir, "the real run failed: " + e.getMessage());
            }
        }
        // The simulated store is a service-time model with no process of its own: a kill of it would mean nothing.
        if (scenario.chaos().schedule().faults().stream().anyMatch(f -> f.fault() instanceof dev.chatlab.chaos.Fault.StoreKill)) {
            return new Outcome(BAD_INPUT, outDir, file + ": store_kill kills the store's server process, which only a real"
                    + " run has (--engine real); the simulator's store is a model without one");
        }
        // Refused before it starts: an OutOfMemoryError minutes in would say nothing about which key to lower.
        String tooBig = HeapEstimate.of(scenario).refusal(Runtime.getRuntime().maxMemory());
        if (tooBig != null) {
            return new Outcome(BAD_INPUT, outDir, file + ": " + tooBig);
        }
        try {
            int exit;
            if (scenario.level() == Scenario.Level.COARSE) {
                try {
                    exit = CoarseRun.run(scenario, seed, outDir, out).exitCode();
                } catch (IllegalArgumentException e) {
                    // The loader checks what it can name by line; this is the model refusing the rest.
                    return new Outcome(BAD_INPUT, outDir, file + ": the coarse model cannot run these settings: "
                            + e.getMessage());
                }
            } else {
                SimRun.Result result = SimRun.run(scenario, seed, outDir, out, err);
                exit = result.verdict().valid() && result.slosMet() ? OK : VIOLATED;
            }
            writeReport(outDir, out, err);
            return new Outcome(exit, outDir, null);
        } catch (IOException e) {
            return new Outcome(BAD_INPUT, outDir, "cannot write " + outDir + ": " + e.getMessage());
        }
    }

    /**
     * A run of an experiment: like {@link #run}, into {@code outDir}, with the run's console (its
     * standard output and its progress) in {@code console.txt} there rather than on the terminal,
     * where the experiment keeps its own single progress line.
     */
    public static Outcome runLogged(Path file, Scenario scenario, long seed, Engine engine, Path outDir) throws IOException {
        return runLogged(file, scenario, seed, engine, outDir, false);
    }

    /**
     * As {@link #runLogged(Path, Scenario, long, Engine, Path)}; with {@code fullSize} a real run
     * keeps every device of the scenario rather than scaling it to this machine.
     */
    public static Outcome runLogged(Path file, Scenario scenario, long seed, Engine engine, Path outDir, boolean fullSize)
            throws IOException {
        java.nio.file.Files.createDirectories(outDir);
        RealRun.Options options = RealRun.Options.defaults();
        if (fullSize) {
            options = options.withDevicesMax(Integer.MAX_VALUE);
        }
        try (PrintStream console = new PrintStream(new java.io.FileOutputStream(outDir.resolve(CONSOLE).toFile()), false,
                java.nio.charset.StandardCharsets.UTF_8)) {
            return run(file, scenario, seed, engine, outDir, options, console, console);
        }
    }

    /** Every run ends with its HTML report and HdrHistogram logs beside the summary. */
    private static void writeReport(Path outDir, PrintStream out, PrintStream err) {
        try {
            RunReport.Written written = RunReport.write(outDir);
            StringBuilder names = new StringBuilder();
            for (Path file : written.files()) {
                names.append(names.length() == 0 ? "" : ", ").append(file.getFileName());
            }
            out.println("report: " + outDir.resolve(RunReport.HTML) + " (wrote " + names + ")");
        } catch (ReportException e) {
            err.println("the run finished but its report could not be written: " + e.getMessage());
        }
    }
}
