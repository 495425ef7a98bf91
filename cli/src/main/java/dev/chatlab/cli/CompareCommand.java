package dev.chatlab.cli;

import dev.chatlab.experiments.Comparison;
import dev.chatlab.experiments.ComparisonConsole;
import dev.chatlab.experiments.ComparisonFiles;
import dev.chatlab.experiments.Experiment;
import dev.chatlab.experiments.ExperimentFile;
import dev.chatlab.experiments.ExperimentRunner;
import dev.chatlab.experiments.Metric;
import dev.chatlab.experiments.PreparedExperiment;
import dev.chatlab.experiments.ProgressLine;
import dev.chatlab.experiments.ScenarioRunner;
import dev.chatlab.experiments.VaryAxis;
import dev.chatlab.experiments.Variant;
import dev.chatlab.scenarios.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code chatlab compare FILE --vary KEY=V1,V2 [--vary ...] [--seeds N]}: the variant matrix on
 * common seeds, each run as {@code chatlab run} makes it, compared with intervals and paired tests.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Run a scenario across settings on the same seeds and compare the variants with confidence intervals and paired tests.",
            "",
            "The variants are every combination of the --vary values; every variant runs the",
            "same seeds (common random numbers), so the difference between two variants is",
            "measured seed by seed. Each run is exactly what chatlab run makes with the same",
            "file, --set flags and seed, in its own folder under --out (with its report.html",
            "and console.txt)."
        },
        footer = {
            "",
            "The folder gets comparison.json (everything), comparison.csv (a row per metric",
            "and variant) and comparison.html (opens offline): per metric the mean and its",
            "95%% Student-t interval, the paired difference against the first variant with",
            "its interval and p-value, charts, every run's verdict and SLOs and a link to",
            "its report. A numeric --vary (a range LO..HI/N, or values that are all numbers",
            "or all durations) also draws each metric against the parameter, a line",
            "for each combination of the other varied keys. --vary engine=sim,real runs",
            "each world in the simulator and on the real cluster (at its full size) and",
            "reports, per metric, both medians and their gap (sim - real) / |real|; --vary",
            "level=coarse,full does the same for the simulator's two levels, the gap",
            "(coarse - full) / |full|.",
            "",
            "Exit codes: 0 every run held every invariant and met every SLO, 1 a run did",
            "not (each named) or nothing was judged, 2 bad input (the flag or the file's",
            "line named).",
            "",
            "Examples:",
            "  chatlab compare scenarios/library/server-kill-herd.yaml \\",
            "      --vary client.reconnect=immediate,jitter,backoff --seeds 10",
            "  chatlab compare scenarios/library/server-kill-herd.yaml \\",
            "      --set client.reconnect=jitter --vary client.jitter_window=0s..30s/7",
            "  chatlab compare scenarios/library/smoke.yaml --vary topology.nodes=3,5 \\",
            "      --until-ci 5%% --max-seeds 30 --metric 'p99(send_to_ack)'",
            "  chatlab compare scenarios/calibration/one-to-one.yaml --vary engine=sim,real \\",
            "      --seeds 3     # the simulator against the real cluster: each metric's gap",
            "  chatlab compare scenarios/calibration/coarse-full.yaml \\",
            "      --vary level=coarse,full --seeds 3     # the coarse level against the full",
            "  chatlab compare experiments/herd-policy.yaml --parallel 2",
            "  chatlab compare experiments/herd-policy.yaml --listen 4200",
            "  chatlab worker --join HOST:4200     # on any machine, as many as you like",
            "",
            "See docs/experiments.md."
        })
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE",
            description = "a scenario file, or an experiment file (scenario:, vary:, seeds:, metrics:; see docs/experiments.md)")
    Path file;

    @Option(names = "--vary", paramLabel = "KEY=VALUES",
            description = "a key and its values, V1,V2[,...] (YAML each) or a range LO..HI/N of N evenly spaced numbers or durations; repeatable, the matrix is every combination")
    List<String> vary = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a scenario key in every variant, as chatlab run --set does (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N", description = "seeds per variant, consecutive from --seed; default 5")
    Integer seeds;

    @Option(names = "--seed", paramLabel = "S0", description = "the first seed; default the file's seed, else 1")
    Long seed;

    @Option(names = "--engine", defaultValue = "sim", paramLabel = "ENGINE", description = "sim (the default) or real, as for chatlab run")
    String engine;

    @Option(names = "--metric", paramLabel = "NAME", split = ";",
            description = "a metric to compare (repeatable): any SLO metric or counts.NAME; default the docs' set of latency, delivery and herd metrics")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--until-ci", paramLabel = "P%",
            description = "add seeds until every metric's interval half-width is within P%% of its mean (bounded by --max-seeds)")
    String untilCi;

    @Option(names = "--max-seeds", paramLabel = "N", description = "the most seeds --until-ci may reach; default 50")
    Integer maxSeeds;

    @Option(names = "--out", paramLabel = "DIR", description = "the experiment's folder; default runs/compare-<scenario file's name>")
    Path out;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N",
            description = "spread the runs over N local worker processes; the files written are the same bytes as with 1 (the default)")
    int parallel;

    @Option(names = "--listen", paramLabel = "PORT",
            description = "hand the runs to worker processes started anywhere with chatlab worker --join HOST:PORT, instead of"
                    + " making them here; a worker that goes away has its run handed to another")
    Integer listen;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Experiment experiment;
        PreparedExperiment prepared;
        try {
            experiment = experiment();
            prepared = PreparedExperiment.of(experiment);
        } catch (ScenarioException e) {
            System.err.println("chatlab compare: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
        int runs = prepared.variants().size() * experiment.seeds();
        System.out.println("compare: " + experiment.scenarioFile() + ", " + prepared.variants().size() + " variant"
                + (prepared.variants().size() == 1 ? "" : "s") + " x " + experiment.seeds() + " seeds from " + prepared.firstSeed()
                + " = " + runs + " runs" + (experiment.untilCi() != null ? " to start with" : "")
                + (prepared.variesEngine() ? ", engines varied" : ", engine " + experiment.engine().word()) + (experiment.parallel() > 1 ? ", " + experiment.parallel() + " worker processes" : "")
                + ", into " + experiment.outDir());
        System.out.flush();
        ProgressLine progress = new ProgressLine("compare", System.err, System::nanoTime, System.console() != null);
        try {
            Comparison c;
            if (listen != null) {
                try (RemotePool pool = new RemotePool(listen, experiment.scenarioFile(), System.err)) {
                    System.out.println("compare: listening for workers on port " + pool.port()
                            + " (chatlab worker --join THIS_HOST:" + pool.port() + ")");
                    System.out.flush();
                    c = ExperimentRunner.run(prepared, pool, progress);
                }
            } else {
                c = ExperimentRunner.run(prepared, progress);
            }
            System.out.print(ComparisonConsole.render(c));
            List<Path> written = ComparisonFiles.write(c, experiment.outDir());
            System.out.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList())
                    + String.format(Locale.ROOT, " (%.1f s wall)", progress.elapsedSeconds()));
            return c.ok() ? Chatlab.OK : Chatlab.VIOLATED;
        } catch (IOException e) {
            System.err.println("chatlab compare: the experiment in " + experiment.outDir() + " stopped: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
    }

    private Experiment experiment() throws ScenarioException {
        if (ExperimentFile.isExperiment(file)) {
            return merged(ExperimentFile.load(file));
        }
        return fromFlags(file, List.of(), List.of(), null, null, null, null, null, null, Path.of("runs", "compare-" + baseName(file)));
    }

    /** The file's experiment with the command line's flags over it: a flag given wins, a --vary of the file's key replaces it. */
    private Experiment merged(ExperimentFile ef) throws ScenarioException {
        List<String> varied = new ArrayList<>();
        for (String v : vary) {
            varied.add(VaryAxis.parse(v).key());
        }
        List<VaryAxis> fileAxes = ef.axes().stream().filter(a -> !varied.contains(a.key())).toList();
        return fromFlags(ef.scenario(), ef.sets(), fileAxes, ef.seeds(), ef.seed(), ef.engine(), ef.metrics(), ef.untilCi(),
                ef.maxSeeds(), Path.of("runs", baseName(file)));
    }

    private Experiment fromFlags(Path scenarioFile, List<String> fileSets, List<VaryAxis> fileAxes, Integer fileSeeds, Long fileSeed,
                                 String fileEngine, List<String> fileMetrics, Double fileUntilCi, Integer fileMaxSeeds,
                                 Path defaultOut) throws ScenarioException {
        String engineWord = engineGiven() || fileEngine == null ? engine : fileEngine;
        ScenarioRunner.Engine e = ScenarioRunner.Engine.parse(engineWord);
        if (e == null) {
            throw new ScenarioException("--engine " + engineWord, 0, 0, "expected sim or real");
        }
        List<VaryAxis> axes = new ArrayList<>(fileAxes);
        Set<String> keys = new HashSet<>();
        fileAxes.forEach(a -> keys.add(a.key()));
        for (String v : vary) {
            VaryAxis axis = VaryAxis.parse(v);
            if (!keys.add(axis.key())) {
                throw new ScenarioException("--vary " + v, 0, 0, "the key " + axis.key() + " is varied twice; give all its values in one --vary");
            }
            axes.add(axis);
        }
        int n = seeds != null ? seeds : fileSeeds != null ? fileSeeds : Experiment.SEEDS_DEFAULT;
        if (n < 1) {
            throw new ScenarioException("--seeds " + n, 0, 0, "expected at least 1 seed");
        }
        Double target = untilCi != null ? Double.valueOf(ExperimentFile.percent(untilCi, "--until-ci")) : fileUntilCi;
        Integer maxGiven = maxSeeds != null ? maxSeeds : fileMaxSeeds;
        int max = maxGiven != null ? maxGiven : Math.max(n, Experiment.MAX_SEEDS_DEFAULT);
        if (max < n) {
            throw new ScenarioException("--max-seeds " + max, 0, 0, "expected at least --seeds (" + n + ")");
        }
        List<Metric> chosen;
        try {
            // Held against the real cluster, or the coarse level against the full one, a comparison reports what the two must agree on.
            boolean engines = axes.stream().anyMatch(a -> (a.key().equals(Variant.ENGINE_KEY) || a.key().equals(Variant.LEVEL_KEY))
                    && a.values().size() > 1);
            chosen = Metric.named(!metrics.isEmpty() ? metrics : fileMetrics != null ? fileMetrics
                    : engines ? Metric.FIDELITY
                    : Metric.defaultsFor(axes.stream().map(VaryAxis::key).toList(), e == ScenarioRunner.Engine.REAL));
        } catch (IllegalArgumentException ex) {
            throw new ScenarioException("--metric", 0, 0, ex.getMessage());
        }
        List<String> allSets = new ArrayList<>(fileSets);
        allSets.addAll(sets);
        Path dir = out != null ? out : defaultOut;
        if (parallel < 1) {
            throw new ScenarioException("--parallel " + parallel, 0, 0, "expected at least 1 process");
        }
        if (listen != null && (listen < 0 || listen > 65_535 || parallel > 1)) {
            throw new ScenarioException("--listen " + listen, 0, 0, parallel > 1
                    ? "expected either --listen (remote workers) or --parallel (local ones), not both"
                    : "expected a port number, 0 to 65535");
        }
        return new Experiment(scenarioFile, List.copyOf(allSets), List.copyOf(axes), seed != null ? seed : fileSeed, n, e, chosen,
                target, max, dir, parallel);
    }

    /** Whether --engine was on the command line (its default must not hide the file's engine). */
    private boolean engineGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--engine");
    }

    static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
