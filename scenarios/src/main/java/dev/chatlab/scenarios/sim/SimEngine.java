package dev.chatlab.scenarios.sim;

import dev.chatlab.checker.invariant.NoLostAck;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.scenarios.Convergence;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.stats.RunRecorder;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A model that runs a scenario in virtual time and records its history: the seam between
 * {@link SimRun} (outputs, verdict) and the level of detail that runs. {@link FullEngine} hosts
 * chat-core's state machines ({@code level: full}); an aggregate model for populations too large
 * for them ({@code level: coarse}) plugs in here, writing the same history and summary sections.
 *
 * <pre>{@code
 * SimEngine engine = SimEngine.forLevel(scenario.level());
 * SimEngine.Report report = engine.run(scenario, seed, sink, stats, progress);
 * }</pre>
 */
interface SimEngine {

    /**
     * What an engine adds to the summary besides what the history says.
     *
     * @param faults          planned, injected and skipped faults by kind, and the fault primitives the kernel counted
     * @param counters        the engine's own counters (store, network, pushes, ...)
     * @param overTime        series per time bucket beyond connections (e.g. connect attempts)
     * @param faultsInjected  total faults injected
     * @param faultsPlanned   total faults planned (file and swarm)
     * @param convergence     whether and when the devices live after the quiesce had every message owed
     *                        to them (see {@link Convergence#summary})
     * @param work            per chat node, what its cores did (busy fraction, queue delay, refused by the
     *                        backlog) when the nodes' work has costs; empty when it is free
     */
    record Report(Map<String, Object> faults, Map<String, Long> counters, Map<String, Object> overTime,
                  long faultsInjected, long faultsPlanned, Map<String, Object> convergence, Map<String, Object> work) {

        /** Nodes without costs: no work to report. */
        Report(Map<String, Object> faults, Map<String, Long> counters, Map<String, Object> overTime,
               long faultsInjected, long faultsPlanned, Map<String, Object> convergence) {
            this(faults, counters, overTime, faultsInjected, faultsPlanned, convergence, Map.of());
        }
    }

    /**
     * Runs the whole scenario; every event goes to {@code history} (which includes {@code stats}).
     * {@code backlog} tells what live devices are still owed by the history so far: past its
     * duration a run goes on while that is not empty, up to the scenario's convergence bound.
     */
    Report run(Scenario scenario, long seed, HistorySink history, RunRecorder stats, long bucketMicros,
               Supplier<NoLostAck.Backlog> backlog, PrintStream progress);

    static SimEngine forLevel(Scenario.Level level) {
        if (level == Scenario.Level.FULL) {
            return new FullEngine();
        }
        throw new IllegalArgumentException("no engine for level " + level.word() + " in this version");
    }
}
