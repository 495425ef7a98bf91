package dev.chatlab.scenarios.real;

import dev.chatlab.chaos.Fault;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.chaos.real.NodeControl;
import dev.chatlab.chaos.real.NodeStateFaults;
import dev.chatlab.reference.chaos.NodeChaosClient;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.fleet.RealDriver;
import dev.chatlab.scenarios.Durations;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The faults a real node applies to itself, as timed tasks of a real run: clock skew, slow disk,
 * partition, one-way cut and heal, each carried out through the nodes' chaos endpoints by a
 * {@link NodeStateFaults}; a fault with a duration gets its undo as a second task, which waits if
 * need be until the fault has lasted that long from when it really started.
 *
 * <pre>{@code
 * NodeStateFaults nodeFaults = new NodeStateFaults(NodeFaultTasks.control(cluster), names, clock);
 * if (!NodeFaultTasks.add(scheduled, nodeFaults, tasks)) { skipped.add(...); }
 * }</pre>
 */
final class NodeFaultTasks {

    private NodeFaultTasks() {
    }

    /** Sends a node its state over {@code POST /chaos} on its port. */
    static NodeControl control(ClusterLauncher cluster) {
        NodeChaosClient client = new NodeChaosClient();
        return (node, state) -> {
            if (!cluster.isAlive(node)) {
                return false;
            }
            for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
                if (n.name().equals(node)) {
                    client.apply(n.port(), state.clockOffsetMicros(), state.diskFactor(), state.dropTo(), state.dropFrom());
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Each live node's chaos counters ({@code GET /chaos}): peer messages dropped, store calls
     * slowed, and its membership: the view now, how often it changed, and each view it was given
     * with its time in seconds of the run ({@code t_s}, from {@code zeroEpochMillis}; negative:
     * before the run started), so that a partition that split membership shows as views without
     * the other side between the partition and its heal.
     */
    static Map<String, Map<String, Object>> counters(ClusterLauncher cluster, long zeroEpochMillis) {
        NodeChaosClient client = new NodeChaosClient();
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            try {
                JsonObject state = client.state(n.port());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("peer_messages_dropped", state.getLong("peer_messages_dropped"));
                c.put("store_ops_slowed", state.getLong("store_ops_slowed"));
                c.put("members", state.getString("members", ""));
                c.put("view_changes", state.getLong("view_changes", 0L));
                c.put("views", timed(state, "views", zeroEpochMillis, "members"));
                // Peer links that stopped reaching a node of the view, and when they came back.
                c.put("peer_link_changes", state.getLong("peer_link_changes", 0L));
                c.put("peer_links", timed(state, "peer_links", zeroEpochMillis, "peer", "state"));
                out.put(n.name(), c);
            } catch (IOException e) {
                // A node that is down has no counters to give: its row is left out.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** The rows of {@code state}'s array {@code name}, each with its time in seconds of the run and the named fields. */
    private static List<Map<String, Object>> timed(JsonObject state, String name, long zeroEpochMillis, String... fields) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Object o : state.getJsonArray(name, new io.vertx.core.json.JsonArray())) {
            JsonObject entry = (JsonObject) o;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t_s", Math.round((entry.getLong("at_ms") - zeroEpochMillis) / 10.0) / 100.0);
            for (String f : fields) {
                row.put(f, entry.getString(f));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Adds the tasks of {@code scheduled} if it is a fault the nodes apply themselves; false if it is not. */
    static boolean add(FaultPlan.Scheduled scheduled, NodeStateFaults faults, List<RealDriver.TimedFault> out) {
        Fault f = scheduled.fault();
        long at = scheduled.atMicros();
        if (f instanceof Fault.ClockSkew s) {
            out.add(new RealDriver.TimedFault(at, "clock of " + s.node() + " " + signed(s.offsetMicros()),
                    clock -> faults.skew(s.node(), s.offsetMicros())));
        } else if (f instanceof Fault.SlowDisk d) {
            long[] appliedAt = {0};
            out.add(new RealDriver.TimedFault(at, String.format(Locale.ROOT, "store calls %.1fx slower on every node",
                    d.factor()), clock -> {
                        appliedAt[0] = clock.getAsLong();
                        return faults.slowDisk(d.factor());
                    }));
            if (d.durationMicros() > 0) {
                out.add(new RealDriver.TimedFault(at + d.durationMicros(), "store back to its speed", clock -> {
                    waitUntil(clock, appliedAt[0] + d.durationMicros());
                    return faults.restoreDisk();
                }));
            }
        } else if (f instanceof Fault.Partition p) {
            long[] handle = {-1, 0};
            out.add(new RealDriver.TimedFault(at, "partition " + p.sides() + " (peer links cut)", clock -> {
                handle[1] = clock.getAsLong();
                handle[0] = faults.partition(p.sides());
                return handle[0] >= 0;
            }));
            if (p.durationMicros() > 0) {
                out.add(new RealDriver.TimedFault(at + p.durationMicros(), "heal partition " + p.sides(), clock -> {
                    waitUntil(clock, handle[1] + p.durationMicros());
                    return faults.heal(handle[0]);
                }));
            }
        } else if (f instanceof Fault.OneWayCut c) {
            long[] handle = {-1, 0};
            out.add(new RealDriver.TimedFault(at, "cut " + c.from() + " -> " + c.to() + " (peer links)", clock -> {
                handle[1] = clock.getAsLong();
                handle[0] = faults.cutOneWay(c.from(), c.to());
                return handle[0] >= 0;
            }));
            if (c.durationMicros() > 0) {
                out.add(new RealDriver.TimedFault(at + c.durationMicros(), "heal cut " + c.from() + " -> " + c.to(),
                        clock -> {
                            waitUntil(clock, handle[1] + c.durationMicros());
                            return faults.heal(handle[0]);
                        }));
            }
        } else if (f instanceof Fault.Heal) {
            out.add(new RealDriver.TimedFault(at, "heal every cut", clock -> faults.healAll()));
        } else {
            return false;
        }
        return true;
    }

    /**
     * Holds a timed undo until the fault has lasted its planned time: on a loaded machine the
     * chaos thread can start a fault late, and the undo must not cut it short.
     */
    private static void waitUntil(LongSupplier clock, long atMicros) throws InterruptedException {
        long wait = atMicros - clock.getAsLong();
        if (wait > 0) {
            Thread.sleep(wait / 1000, (int) (wait % 1000) * 1000);
        }
    }

    private static String signed(long micros) {
        return (micros >= 0 ? "+" : "-") + Durations.format(Math.abs(micros));
    }
}
