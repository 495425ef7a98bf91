package dev.chatlab.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Ready-made fault packages, each a small {@link FaultPlan} to {@link FaultPlan#plus combine}
 * with others: the nemeses a chat system should survive.
 *
 * <pre>{@code
 * List<String> nodes = List.of("n1", "n2", "n3");
 * FaultPlan plan = FaultPackages.killAndRestart("n2", 2_000_000, 1_500_000)
 *         .plus(FaultPackages.partitionHalves(nodes, 5_000_000, 2_000_000))
 *         .plus(FaultPackages.rollingRestarts(nodes, 8_000_000, 1_000_000, 500_000));
 * }</pre>
 */
public final class FaultPackages {

    private FaultPackages() {
    }

    /** {@code node} crashes at {@code atMicros} and comes back {@code downMicros} later. */
    public static FaultPlan killAndRestart(String node, long atMicros, long downMicros) {
        return FaultPlan.empty().at(atMicros, new Fault.Kill(node, 0), "kill-and-restart")
                .at(atMicros + downMicros, new Fault.Restart(node), "kill-and-restart");
    }

    /** The first half of {@code nodes} is cut from the second half for {@code forMicros}, then healed. */
    public static FaultPlan partitionHalves(List<String> nodes, long atMicros, long forMicros) {
        int half = Math.max(1, nodes.size() / 2);
        List<List<String>> sides = List.of(nodes.subList(0, half), nodes.subList(half, nodes.size()));
        return FaultPlan.empty().at(atMicros, new Fault.Partition(sides, forMicros), "partition-halves");
    }

    /** {@code node} can no longer speak to the others (it still hears them) for {@code forMicros}. */
    public static FaultPlan isolateOneWay(String node, List<String> nodes, long atMicros, long forMicros) {
        List<String> others = new ArrayList<>(nodes);
        others.remove(node);
        return FaultPlan.empty().at(atMicros, new Fault.OneWayCut(List.of(node), others, forMicros), "isolate-one-way");
    }

    /** Each node in turn is killed and restarted, {@code gapMicros} apart. */
    public static FaultPlan rollingRestarts(List<String> nodes, long atMicros, long gapMicros, long downMicros) {
        FaultPlan plan = FaultPlan.empty();
        long t = atMicros;
        for (String node : nodes) {
            plan = plan.plus(killAndRestart(node, t, downMicros));
            t += gapMicros;
        }
        return plan;
    }

    /** Every device of {@code node} drops at once, {@code times} times, {@code gapMicros} apart. */
    public static FaultPlan herd(String node, long atMicros, int times, long gapMicros) {
        FaultPlan plan = FaultPlan.empty();
        for (int i = 0; i < times; i++) {
            plan = plan.at(atMicros + i * gapMicros, new Fault.MassDisconnect(node), "herd");
        }
        return plan;
    }
}
