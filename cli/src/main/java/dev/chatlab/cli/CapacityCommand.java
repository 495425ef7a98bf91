package dev.chatlab.cli;

import dev.chatlab.experiments.CapacityFiles;
import dev.chatlab.experiments.CapacityPlan;
import dev.chatlab.experiments.CapacityRunner;
import dev.chatlab.experiments.ProgressLine;
import dev.chatlab.experiments.ScenarioRunner;
import dev.chatlab.scenarios.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code chatlab capacity FILE --slo '...' --search KEY=LO..HI [--maximize]}: the smallest (or largest) value that meets every SLO. */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = {
            "Search a scenario key for the smallest value (or with --maximize the largest) that meets every SLO on every seed.",
            "",
            "Each probed value runs every seed exactly as chatlab run would, with the key set",
            "to the value; it passes when every run holds every invariant and meets every SLO",
            "(the file's own and each --slo). The search gallops from LO in doubling steps",
            "until the outcome flips, then bisects; it assumes the outcome flips once over",
            "the range."
        },
        footer = {
            "",
            "The folder gets capacity.json (the answer, every probed value, each run and",
            "each SLO's measured value) and capacity.html (opens offline: a curve per SLO",
            "of its worst value over the seeds against the key, the bound drawn), and a",
            "folder per run (<key>-<value>/seed-<N>) with its report.",
            "",
            "Exit codes: 0 a value was found, 1 no value in the range meets every SLO",
            "(or, with --maximize, LO already fails), 2 bad input (the flag named).",
            "",
            "Examples:",
            "  chatlab capacity scenarios/library/whatsapp-1m.yaml \\",
            "      --slo 'p99(send_to_ack) < 500ms' --search topology.nodes=2..64",
            "  chatlab capacity scenarios/library/smoke.yaml --set 'faults=[]' \\",
            "      --maximize --slo 'p99(send_to_ack) < 200ms' \\",
            "      --search workload.messages_per_second=10..5000",
            "",
            "See docs/experiments.md."
        })
final class CapacityCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario file (YAML)")
    Path file;

    @Option(names = "--search", required = true, paramLabel = "KEY=LO..HI",
            description = "the scenario key to search and its range of whole numbers, such as topology.nodes=1..64")
    String search;

    @Option(names = "--slo", paramLabel = "OBJECTIVE",
            description = "an objective every run must meet, added to the file's slo: list (repeatable), such as 'p99(send_to_ack) < 200ms'")
    List<String> slos = new ArrayList<>();

    @Option(names = "--maximize", description = "find the largest passing value (a rate) instead of the smallest (a server count)")
    boolean maximize;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a scenario key in every run, as chatlab run --set does (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "seeds every probed value must pass on; default 3")
    int seeds;

    @Option(names = "--seed", paramLabel = "S0", description = "the first seed; default the file's seed, else 1")
    Long seed;

    @Option(names = "--engine", defaultValue = "sim", paramLabel = "ENGINE", description = "sim (the default) or real, as for chatlab run")
    String engine;

    @Option(names = "--out", paramLabel = "DIR", description = "the search's folder; default runs/capacity-<scenario file's name>")
    Path out;

    @Override
    public Integer call() {
        CapacityPlan plan;
        try {
            ScenarioRunner.Engine e = ScenarioRunner.Engine.parse(engine);
            if (e == null) {
                throw new ScenarioException("--engine " + engine, 0, 0, "expected sim or real");
            }
            Path dir = out != null ? out : Path.of("runs", "capacity-" + CompareCommand.baseName(file));
            plan = CapacityPlan.of(file, sets, search, maximize, slos, seed, seeds, e, dir);
        } catch (ScenarioException e) {
            System.err.println("chatlab capacity: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
        System.out.println("capacity: " + file + ", " + (maximize ? "the largest " : "the smallest ") + plan.key() + " in "
                + plan.lo() + ".." + plan.hi() + " meeting " + String.join("; ", plan.slos()) + " on " + plan.seeds() + " seed"
                + (plan.seeds() == 1 ? "" : "s") + " from " + plan.firstSeed() + ", engine " + plan.engine().word() + ", into " + plan.outDir());
        System.out.flush();
        ProgressLine progress = new ProgressLine("capacity", System.err, System::nanoTime, System.console() != null);
        try {
            CapacityRunner.Outcome o = CapacityRunner.run(plan, progress);
            for (CapacityRunner.Point p : o.points()) {
                var last = p.runs().get(p.runs().size() - 1);
                System.out.println("  " + plan.key() + "=" + p.value() + ": " + (p.passes() ? "passed" : "failed on seed "
                        + last.seed() + ": " + String.join("; ", last.problems())));
            }
            System.out.println(CapacityFiles.answerLine(o));
            List<Path> written = CapacityFiles.write(o, plan.outDir());
            System.out.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList())
                    + String.format(Locale.ROOT, " (%.1f s wall)", progress.elapsedSeconds()));
            return o.answer() != null ? Chatlab.OK : Chatlab.VIOLATED;
        } catch (ScenarioException e) {
            System.err.println("chatlab capacity: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("chatlab capacity: cannot write " + plan.outDir() + ": " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
    }
}
