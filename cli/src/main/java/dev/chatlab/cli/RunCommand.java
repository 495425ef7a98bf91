package dev.chatlab.cli;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.experiments.ScenarioRunner;
import dev.chatlab.scenarios.real.RealRun;
import dev.chatlab.scenarios.sim.SimRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code chatlab run SCENARIO [--engine sim] [--seed N] [--out DIR] [--set KEY=VALUE]...}: loads and
 * validates the scenario file with the overrides applied (exit 2 with file:line:column, or the flag,
 * on a bad one), runs it, writes the run's folder and exits 0 when every invariant held and every
 * SLO was met, 1 when not.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario file in the simulator (--engine sim) or on a real cluster (--engine real) and write a checked report.",
        footer = {
            "",
            "The run prints seed=N first; the same file and seed replay a simulated",
            "run byte for byte. The output folder gets: summary.json (settings, counts,",
            "percentiles, faults, verdict), report.html (opens offline),",
            "history.jsonl.gz, send-ack.hlog and send-deliver.hlog (HdrHistogram),",
            "verdict.json and verdict.xml (JUnit, one test case per invariant).",
            "",
            "Exit codes: 0 every invariant held and every SLO was met, 1 an invariant",
            "was violated or an SLO missed (named on the console), 2 bad input (file,",
            "line and column named, or the --set flag). A coarse run keeps no history:",
            "its verdict lists every invariant as not-applicable (reason: coarse level).",
            "SLOs (the file's slo: list) are judged in every engine and level from the",
            "run's summary; see docs/scenarios.md for the metrics.",
            "",
            "Examples:",
            "  chatlab run scenarios/library/smoke.yaml",
            "  chatlab run scenarios/library/snowflake-skew.yaml        # exits 1",
            "  chatlab run scenarios/library/server-kill-herd.yaml --engine real",
            "  chatlab run scenarios/library/server-kill-herd.yaml --engine real \\",
            "      --fleet-processes 2          # the fleet in 2 worker processes",
            "  chatlab run scenarios/library/whatsapp-1m.yaml           # 1M users",
            "  chatlab run scenarios/library/server-kill-herd.yaml \\",
            "      --set client.reconnect=jitter --set client.jitter_window=30s",
            "",
            "Scenario format: docs/scenarios.md; the library: scenarios/library/."
        })
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file (YAML)")
    Path scenarioFile;

    @Option(names = "--engine", defaultValue = "sim", paramLabel = "ENGINE",
            description = "sim (deterministic simulator, the default) or real (node processes, PostgreSQL, a WebSocket fleet, real chaos)")
    String engine;

    @Option(names = "--seed", paramLabel = "N", description = "the run's seed; default: the file's seed, else 1")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder; default: runs/<name>-<seed>")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a scenario key by its path before validation (repeatable, applied in order):"
                    + " --set topology.nodes=12 --set client.jitter_window=30s; the value is YAML ([n1, n2], {at: 2s, kill: n1})")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--devices-max", paramLabel = "N",
            description = "real: scale the population to at most N devices; default 250 per core")
    Integer devicesMax;

    @Option(names = "--fleet-processes", paramLabel = "N",
            description = "real: spread the devices over N fleet processes (1: in this one); default from the device count")
    Integer fleetProcesses;

    @Option(names = "--sockets-per-process", paramLabel = "N",
            description = "real: the most devices one fleet process holds; default 12500 (the open-file limit is 20000)")
    Integer socketsPerProcess;

    @Override
    public Integer call() {
        if (!engine.equals("sim") && !engine.equals("real")) {
            System.err.println("chatlab run: unknown engine '" + engine + "'; expected sim or real");
            return Chatlab.BAD_INPUT;
        }
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(scenarioFile, overrides);
        } catch (ScenarioException e) {
            System.err.println("chatlab run: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
        long runSeed = SimRun.seedFor(seed, scenario);
        ScenarioRunner.Engine runEngine = ScenarioRunner.Engine.parse(engine);
        RealRun.Options options = RealRun.Options.defaults();
        try {
            if (devicesMax != null) {
                options = options.withDevicesMax(devicesMax);
            }
            if (fleetProcesses != null) {
                options = options.withFleetProcesses(fleetProcesses);
            }
            if (socketsPerProcess != null) {
                options = options.withSocketsPerProcess(socketsPerProcess);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("chatlab run: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
        Path outDir = out != null ? out : ScenarioRunner.defaultOut(scenario, runSeed, runEngine);
        ScenarioRunner.Outcome outcome = ScenarioRunner.run(scenarioFile, scenario, runSeed, runEngine, outDir, options,
                System.out, System.err);
        if (outcome.error() != null) {
            System.err.println("chatlab run: " + outcome.error());
        }
        return outcome.exitCode();
    }
}
