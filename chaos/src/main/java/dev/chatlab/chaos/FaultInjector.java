package dev.chatlab.chaos;

import dev.chatlab.sim.Simulation;

/**
 * Applies a {@link FaultPlan} to a {@link ChaosTarget} in virtual time: each fault fires at its
 * time as a kernel event; a fault with a duration schedules its own undo (restart, heal, end of
 * spike, disk restored). Everything is recorded in a {@link FaultLedger}; a fault that comes due
 * after the run has quiesced, or that cannot apply, is counted as skipped with its reason.
 *
 * <pre>{@code
 * FaultInjector injector = new FaultInjector(sim, world);
 * injector.schedule(plan);
 * sim.runUntil(end);
 * injector.ledger().toMap();   // planned / injected / skipped by kind
 * }</pre>
 */
public final class FaultInjector {

    private final Simulation sim;
    private final ChaosTarget target;
    private final FaultLedger ledger = new FaultLedger();

    public FaultInjector(Simulation sim, ChaosTarget target) {
        this.sim = sim;
        this.target = target;
    }

    public FaultLedger ledger() {
        return ledger;
    }

    public void schedule(FaultPlan plan) {
        for (FaultPlan.Scheduled s : plan.faults()) {
            ledger.recordPlanned(s.fault().kind());
            sim.schedule(Math.max(s.atMicros(), sim.now()), () -> fire(s.fault()));
        }
    }

    private void fire(Fault fault) {
        String kind = fault.kind();
        if (target.quiesced()) {
            ledger.recordSkipped(kind, "due after quiesce");
            return;
        }
        String skip = apply(fault);
        if (skip == null) {
            ledger.recordInjected(kind);
        } else {
            ledger.recordSkipped(kind, skip);
        }
    }

    /** Applies the fault now; returns null if it took effect, else why not. */
    private String apply(Fault fault) {
        if (fault instanceof Fault.Kill k) {
            if (!target.kill(k.node())) {
                return "node already down";
            }
            if (k.downMicros() > 0) {
                later(k.downMicros(), () -> target.restart(k.node()), "restart");
            }
        } else if (fault instanceof Fault.Restart r) {
            if (!target.restart(r.node())) {
                return "node already up";
            }
        } else if (fault instanceof Fault.Partition p) {
            long handle = target.partition(p.sides());
            if (handle < 0) {
                return "nothing to cut";
            }
            if (p.durationMicros() > 0) {
                later(p.durationMicros(), () -> target.heal(handle), "heal");
            }
        } else if (fault instanceof Fault.OneWayCut c) {
            long handle = target.cutOneWay(c.from(), c.to());
            if (handle < 0) {
                return "nothing to cut";
            }
            if (c.durationMicros() > 0) {
                later(c.durationMicros(), () -> target.heal(handle), "heal");
            }
        } else if (fault instanceof Fault.Heal) {
            if (!target.healAll()) {
                return "no partition to heal";
            }
        } else if (fault instanceof Fault.LatencySpike s) {
            long handle = target.spikeLatency(s.nodes(), s.extraMicros());
            if (handle < 0) {
                return "no link to slow";
            }
            if (s.durationMicros() > 0) {
                later(s.durationMicros(), () -> target.endSpike(handle), "spike-end");
            }
        } else if (fault instanceof Fault.ClockSkew s) {
            if (!target.skewClock(s.node(), s.offsetMicros())) {
                return "no such clock";
            }
        } else if (fault instanceof Fault.SlowDisk d) {
            if (!target.slowDisk(d.factor())) {
                return "no disk";
            }
            if (d.durationMicros() > 0) {
                later(d.durationMicros(), target::restoreDisk, "disk-restored");
            }
        } else if (fault instanceof Fault.MassDisconnect m) {
            if (!target.massDisconnect(m.node())) {
                return "node down";
            }
        } else if (fault instanceof Fault.StoreKill) {
            // Runs refuse it before they start; a plan built by hand gets this reason.
            return "the simulated store has no process to kill";
        } else {
            return "unknown fault";
        }
        return null;
    }

    private interface Undo {
        boolean run();
    }

    private void later(long delayMicros, Undo undo, String what) {
        sim.after(delayMicros, () -> {
            if (undo.run()) {
                ledger.recordRecovery(what);
            }
        });
    }
}
