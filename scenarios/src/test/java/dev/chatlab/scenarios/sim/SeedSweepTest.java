package dev.chatlab.scenarios.sim;

import dev.chatlab.checker.InvariantResult;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryReader;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed sweep: {@code library/chaos-swarm.yaml} (a small world, the strong strategies, a swarm
 * of faults drawn from each seed) for {@link #SEEDS} seeds, judged by the loss rule of history
 * format v1.1: every device live after the quiesce, connected through it or reconnected after it,
 * is owed every committed message. Every run must hold every invariant, acknowledge and deliver
 * messages, judge the loss rule on at least one obligation, inject faults, and end with every
 * device of the population connected (the quiesce brings back offline devices; connected ones
 * stay connected and must be brought up to date as they are). A failing seed is printed, to
 * replay with {@code chatlab run scenarios/library/chaos-swarm.yaml --seed N}. The one exception,
 * named and proven each run, is {@link #KNOWN_BACKLOG}.
 *
 * <p>By hand, another file or range: {@code -Dsweep.file=library/X.yaml -Dsweep.from=1 -Dsweep.to=100}.
 */
class SeedSweepTest {

    static final int SEEDS = 250;

    /**
     * Seeds of chaos-swarm.yaml whose only violation is a backlog, not a loss: a message committed
     * in the last milliseconds of the run had not reached every device when the run stopped at its
     * fixed end. Seed 126: seq 18 of c1 (a send refused as unavailable when its chat's owner moved,
     * retried after the ack timeout) is committed at 4.988 s, 12 ms before the end; u4/d2 gets it at
     * 5.012 s when the run lasts 2 s longer. Each is accepted only if that longer run holds every
     * invariant. Issue 18 (runs that end when the system has converged) makes this list go away.
     */
    static final List<Long> KNOWN_BACKLOG = List.of(126L);
    static final long BACKLOG_GRACE_MICROS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryInvariantWithAcksDeliveriesAndInjectedFaultsOnEverySeedOfTheSwarm() throws Exception {
        String file = System.getProperty("sweep.file", "library/chaos-swarm.yaml");
        long from = Long.getLong("sweep.from", 1);
        long to = Long.getLong("sweep.to", SEEDS);
        Scenario swarm = ScenarioLoader.load(Path.of(file));
        int population = swarm.population().users() * swarm.population().devicesPerUser();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> failures = new ArrayList<>();
        long injected = 0;
        for (long seed = from; seed <= to; seed++) {
            SimRun.Result r = SimRun.run(swarm, seed, dir.resolve("run"), quiet, quiet);
            injected += r.faultsInjected();
            long delivers = ((Number) r.counts().get("delivers")).longValue();
            InvariantResult lossRule = r.verdict().invariant("no-lost-ack");
            long lossJudged = lossRule == null ? 0 : lossRule.judged();
            int connectedAtEnd = devicesConnectedAtTheEnd(r.outDir().resolve("history.jsonl.gz"));
            boolean backlogOnly = file.equals("library/chaos-swarm.yaml") && KNOWN_BACKLOG.contains(seed)
                    && r.verdict().violated().equals(List.of("no-lost-ack")) && validWithMoreTime(swarm, seed);
            if (backlogOnly) {
                System.out.println("seed sweep: BACKLOG seed=" + seed + " violated " + r.verdict().violated()
                        + " at the fixed end, valid " + BACKLOG_GRACE_MICROS / 1_000_000 + " s later (issue 18)");
            }
            if ((!r.verdict().valid() && !backlogOnly) || r.acks() == 0 || delivers == 0 || lossJudged == 0
                    || r.faultsInjected() == 0 || connectedAtEnd != population) {
                String failure = "seed=" + seed + " violated=" + r.verdict().violated() + " acks=" + r.acks()
                        + " delivers=" + delivers + " no-lost-ack_judged=" + lossJudged
                        + " faults_injected=" + r.faultsInjected()
                        + " connected_at_end=" + connectedAtEnd + "/" + population;
                System.out.println("seed sweep: FAILED " + failure
                        + " (replay: chatlab run scenarios/" + file + " --seed " + seed + ")");
                failures.add(failure);
            }
        }
        System.out.println("seed sweep: seeds " + from + "-" + to + " of " + file + ", " + injected
                + " faults injected, " + failures.size() + " failed");
        assertThat(failures).isEmpty();
    }

    /** The same run (same seed, faults and workload), given more time after the quiesce to finish delivery. */
    private boolean validWithMoreTime(Scenario s, long seed) throws Exception {
        Scenario longer = new Scenario(s.name(), s.seed(), s.level(), s.durationMicros() + BACKLOG_GRACE_MICROS,
                s.quiesceAtMicros(), s.topology(), s.population(), s.workload(), s.client(), s.network(), s.store(),
                s.chaos(), s.coarse());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return SimRun.run(longer, seed, dir.resolve("longer"), quiet, quiet).verdict().valid();
    }

    /** Devices whose session is open when the history ends: connected, and not disconnected since. */
    static int devicesConnectedAtTheEnd(Path history) throws Exception {
        TreeSet<String> open = new TreeSet<>();
        try (HistoryReader reader = HistoryReader.open(history)) {
            for (HistoryEvent e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof HistoryEvent.Connect c) {
                    open.add(c.user() + "/" + c.device());
                } else if (e instanceof HistoryEvent.Disconnect d) {
                    open.remove(d.user() + "/" + d.device());
                }
            }
        }
        return open.size();
    }
}
