package dev.chatlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall time and peak heap of a whole scenario run, each run in a fresh JVM under the default
 * collector (G1), as a user would run it. Peak heap is the largest heap occupancy the GC log saw
 * before a collection: what the run needed at its fullest, not what the JVM reserved.
 */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {
            "Wall time and peak heap of a whole scenario run.",
            "Each of --runs runs is a fresh JVM under the default collector, as a user would run it; every run and"
                    + " the medians are printed. Peak heap is the largest heap occupancy the GC log saw before a"
                    + " collection: what the run needed at its fullest, not what the JVM reserved."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab bench scenario scenarios/library/whatsapp-1m.yaml",
            "  chatlab bench scenario scenarios/library/smoke.yaml --runs 5 --seed 11"
        })
final class BenchScenarioCommand implements Callable<Integer> {

    private static final Pattern HEAP_BEFORE_GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Parameters(paramLabel = "SCENARIO", description = "The scenario file to run.")
    Path scenario;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs, at least 3 (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (runs < 3) {
            System.err.println("chatlab bench scenario: --runs must be at least 3 (medians of fewer say little)");
            return Chatlab.BAD_INPUT;
        }
        if (!Files.isRegularFile(scenario)) {
            System.err.println("chatlab bench scenario: no scenario file at " + scenario);
            return Chatlab.BAD_INPUT;
        }
        Path work = Files.createTempDirectory("chatlab-bench-scenario");
        List<Double> walls = new ArrayList<>();
        List<Long> heaps = new ArrayList<>();
        System.out.println("bench scenario " + scenario + " seed=" + seed + " runs=" + runs + " cores="
                + Runtime.getRuntime().availableProcessors() + " (each run a fresh JVM, default GC)");
        for (int run = 1; run <= runs; run++) {
            Path gcLog = work.resolve("gc-" + run + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:gc:file=" + gcLog,
                    "-cp", System.getProperty("java.class.path"), Chatlab.class.getName(),
                    "run", scenario.toString(), "--seed", String.valueOf(seed), "--out", work.resolve("run-" + run).toString()));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("out-" + run + ".txt").toFile()).start();
            int exit = process.waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            if (exit == Chatlab.BAD_INPUT) {
                System.err.println("chatlab bench scenario: the run failed; see " + work.resolve("out-" + run + ".txt"));
                return Chatlab.BAD_INPUT;
            }
            long peak = peakHeapMiB(gcLog);
            walls.add(wall);
            heaps.add(peak);
            System.out.printf("run %d: wall %.1f s, peak heap %d MiB (exit %d)%n", run, wall, peak, exit);
        }
        System.out.printf("median: wall %.1f s, peak heap %d MiB  (JVM args of this process: %s)%n",
                median(walls), medianLong(heaps), ManagementFactory.getRuntimeMXBean().getInputArguments());
        return Chatlab.OK;
    }

    /** The largest "before" occupancy of any collection in a unified GC log. */
    static long peakHeapMiB(Path gcLog) throws IOException {
        long peak = 0;
        if (!Files.exists(gcLog)) {
            return peak;
        }
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = HEAP_BEFORE_GC.matcher(line);
            while (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        return peak;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static long medianLong(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
