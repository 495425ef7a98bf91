package dev.chatlab.scenarios;

import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.scenarios.world.StoreModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What the coarse level models, and the settings it refuses because it does not: a coarse run that
 * silently ignored {@code routing: pubsub} would answer a question nobody asked. A setting passes
 * when the coarse model reads it, when it holds the full level's default (a file may spell the
 * defaults out), or when it holds the value the coarse model behaves as (no read receipts: 0).
 *
 * <pre>{@code
 * CoarseScope.Refusal r = CoarseScope.refusal(scenario);     // null: the coarse level can run it
 * // r.path() = "topology.routing", r.reason() = "the coarse level models direct routing only ..."
 * }</pre>
 *
 * docs/coarse.md lists the same keys; keep the two together.
 */
final class CoarseScope {

    /** A key the coarse level cannot honour, with the reason in the file's words. */
    record Refusal(String path, String reason) {
    }

    /** Fault keys of a schedule entry the coarse model applies; any other kind is refused. */
    static final List<String> FAULTS_MODELLED = List.of("kill", "restart", "disconnect", "slow_disk");

    private static final String FULL = "; run it at 'level: full' or remove the key";

    private CoarseScope() {
    }

    /** The first setting of {@code s} the coarse level refuses (in file order), or null. */
    static Refusal refusal(Scenario s) {
        List<Refusal> all = refusals(s);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<Refusal> refusals(Scenario s) {
        List<Refusal> out = new ArrayList<>();
        if (s.convergeWithinMicros() != Scenario.CONVERGE_WITHIN_DEFAULT_MICROS) {
            out.add(new Refusal("converge_within", "the coarse level keeps no device's deliveries, so it cannot wait"
                    + " for convergence" + FULL));
        }
        Scenario.Topology t = s.topology();
        if (t.sequencing() != Sequencing.OWNER_COUNTER) {
            out.add(new Refusal("topology.sequencing", "the coarse level models owner-counter sequencing only (it"
                    + " draws no seqs, so Snowflake ids, clock skew and store counters change nothing in it)" + FULL));
        }
        if (t.routing() != Routing.DIRECT) {
            out.add(new Refusal("topology.routing", "the coarse level models direct node-to-node routing only (no"
                    + " pub/sub broker hop)" + FULL));
        }
        if (!t.fencing()) {
            out.add(new Refusal("topology.fencing", "the coarse level has no owners to fence, so 'fencing: false'"
                    + " (split brain) cannot show in it" + FULL));
        }
        if (t.presenceTtlMicros() != 30_000_000L) {
            out.add(new Refusal("topology.presence_ttl", "the coarse level models no presence" + FULL));
        }
        Scenario.Workload w = s.workload();
        if (w.readProbability() != 0 && w.readProbability() != 0.2) {
            out.add(new Refusal("workload.read_probability", "the coarse level sends no read receipts: expected 0"
                    + " (or the default 0.2, which it runs as 0)" + FULL));
        }
        if (w.typingProbability() != 0 && w.typingProbability() != 0.1) {
            out.add(new Refusal("workload.typing_probability", "the coarse level sends no typing signals: expected 0"
                    + " (or the default 0.1, which it runs as 0)" + FULL));
        }
        if (w.watchPresence()) {
            out.add(new Refusal("workload.watch_presence", "the coarse level models no presence" + FULL));
        }
        if (w.churnPerSecond() != 0) {
            out.add(new Refusal("workload.churn_per_second", "the coarse level keeps every device online but for"
                    + " faults: expected 0" + FULL));
        }
        if (w.offlineMicros() != 2_000_000L) {
            out.add(new Refusal("workload.offline_time", "the coarse level does not model churn, which this belongs to" + FULL));
        }
        if (w.warmupMicros() != 0) {
            out.add(new Refusal("workload.warmup", "the coarse level's latency is a model of the steady state, with no"
                    + " messages to leave out: expected none" + FULL));
        }
        if (s.client().heartbeatMicros() != 10_000_000L) {
            out.add(new Refusal("client.heartbeat", "the coarse level sends no heartbeats (a device learns of a dead"
                    + " server after network.failure_detection)" + FULL));
        }
        Scenario.Network n = s.network();
        Scenario.Network d = Scenario.Network.defaults();
        links(out, "network.client", n.client());
        links(out, "network.node", n.node());
        links(out, "network.store", n.store());
        if (n.node().sigma() != d.node().sigma()) {
            out.add(new Refusal("network.node.sigma", "the coarse level draws every link with network.client.sigma" + FULL));
        }
        if (n.store().sigma() != d.store().sigma()) {
            out.add(new Refusal("network.store.sigma", "the coarse level draws every link with network.client.sigma" + FULL));
        }
        StoreModel base = s.store().kind() == StoreModel.Kind.LSM ? StoreModel.lsm() : StoreModel.btree();
        if (s.store().readMedianMicros() != base.readMedianMicros()) {
            out.add(new Refusal("store.read", "the coarse level stores messages but reads none back" + FULL));
        }
        if (s.store().ops() != null && s.store().ops().concurrent()) {
            out.add(new Refusal("store.model", "the coarse level queues appends on coarse.store_concurrency servers;"
                    + " " + s.store().ops().source() + " says queueing: none" + FULL));
        }
        if (s.client().fleetFrameMicros() > 0) {
            out.add(new Refusal("client.fleet_frame", "the coarse level has no devices' frames to put through a"
                    + " loop" + FULL));
        }
        // client.login_spread is not refused, paced included: paced logins end before the scenario's
        // clock starts, and the coarse level starts its clock with every device online, which is the same.
        if (s.chaos().swarm() != null) {
            out.add(new Refusal("faults.swarm", "the coarse level applies a planned schedule only" + FULL));
        }
        return out;
    }

    private static void links(List<Refusal> out, String path, Scenario.Link link) {
        if (link.jitterMicros() != 0) {
            out.add(new Refusal(path + ".jitter", "the coarse level draws link latency as a log-normal without added"
                    + " jitter: expected 0" + FULL));
        }
        if (link.loss() != 0) {
            out.add(new Refusal(path + ".loss", "the coarse level loses no message on a link: expected 0" + FULL));
        }
    }

    /** Why a schedule entry of this kind is refused at the coarse level, or null when it is modelled. */
    static String faultRefusal(String key) {
        if (FAULTS_MODELLED.contains(key)) {
            return null;
        }
        return "the coarse level models " + String.join(", ", FAULTS_MODELLED) + " faults only (it has no clocks,"
                + " partitions or per-link latency to change)" + FULL;
    }
}
