package dev.chatlab.scenarios;

import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: who talks (population), how much (workload), on what cluster (topology,
 * client), what goes wrong and when (faults), and for how long. Times are microseconds of
 * virtual time from the start of the run. Build one with {@link ScenarioLoader}.
 *
 * <pre>{@code
 * Scenario scenario = ScenarioLoader.load(Path.of("scenarios/library/smoke.yaml"));
 * long seed = scenario.seed() != null ? scenario.seed() : 1;
 * }</pre>
 *
 * @param name          a name for the run's output folder and reports
 * @param seed          the seed the file asks for, or null (the command line's --seed wins)
 * @param durationMicros the run ends here
 * @param quiesceAtMicros from here on no fault fires, no new message is sent, every device reconnects and syncs
 */
public record Scenario(String name, Long seed, long durationMicros, long quiesceAtMicros, Topology topology,
                       Population population, Workload workload, Client client, List<Fault> faults) {

    public Scenario {
        faults = List.copyOf(faults);
    }

    /** The cluster's shape and the strategies under test. */
    public record Topology(int nodes, Sequencing sequencing, FanOut fanOut, Routing routing) {

        /** One line for logs: {@code nodes=3 sequencing=owner-counter fanout=hybrid routing=direct}. */
        public String describe() {
            return "nodes=" + nodes + " sequencing=" + ScenarioWords.sequencing(sequencing)
                    + " fanout=" + fanOut.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " routing=" + routing.name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Node names, {@code n1..nN}: fault entries refer to them. */
        public List<String> nodeIds() {
            List<String> ids = new ArrayList<>(nodes);
            for (int i = 1; i <= nodes; i++) {
                ids.add("n" + i);
            }
            return ids;
        }
    }

    /** Users {@code u1..uN}, each with devices {@code d1..dK}, and chats {@code c1..cM} of {@code groupSize} members each. */
    public record Population(int users, int devicesPerUser, int chats, int groupSize) {
    }

    /**
     * @param messagesPerSecond total send rate over the whole population, Poisson arrivals
     * @param readProbability   chance that a message is followed by another member reading the chat
     * @param typingProbability chance that a message is preceded by its sender typing
     */
    public record Workload(double messagesPerSecond, double readProbability, double typingProbability) {
    }

    /** How devices come back after losing their server. */
    public record Client(ReconnectPolicy reconnect) {
    }

    /** One scheduled fault. */
    public sealed interface Fault {
        long atMicros();

        String node();

        /** The node crashes: its sessions drop and the chats it owned move to other nodes. */
        record Kill(long atMicros, String node) implements Fault {
        }

        /** A crashed node comes back as a new cluster member. */
        record Restart(long atMicros, String node) implements Fault {
        }

        /** The node's clock is off by {@code offsetMicros} from then on (read by clock-based sequencing only). */
        record Skew(long atMicros, String node, long offsetMicros) implements Fault {
        }
    }

    /** The resolved settings, every default filled in, in the words of the scenario file; reports embed it. */
    public Map<String, Object> settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("duration", Durations.format(durationMicros));
        out.put("quiesce_at", Durations.format(quiesceAtMicros));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("nodes", topology.nodes());
        t.put("sequencing", ScenarioWords.sequencing(topology.sequencing()));
        t.put("fanout", topology.fanOut().mode().name().toLowerCase(java.util.Locale.ROOT));
        if (topology.fanOut().mode() == FanOut.Mode.HYBRID) {
            t.put("hybrid_threshold", topology.fanOut().pullAboveMembers());
        }
        t.put("routing", topology.routing().name().toLowerCase(java.util.Locale.ROOT));
        out.put("topology", t);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("users", population.users());
        p.put("devices_per_user", population.devicesPerUser());
        p.put("chats", population.chats());
        p.put("group_size", population.groupSize());
        out.put("population", p);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("messages_per_second", workload.messagesPerSecond());
        w.put("read_probability", workload.readProbability());
        w.put("typing_probability", workload.typingProbability());
        out.put("workload", w);
        out.put("client", ScenarioWords.reconnect(client.reconnect()));
        List<Map<String, Object>> f = new ArrayList<>();
        for (Fault fault : faults) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", Durations.format(fault.atMicros()));
            if (fault instanceof Fault.Kill) {
                entry.put("kill", fault.node());
            } else if (fault instanceof Fault.Restart) {
                entry.put("restart", fault.node());
            } else if (fault instanceof Fault.Skew s) {
                entry.put("skew", s.node());
                entry.put("by", Durations.format(s.offsetMicros()));
            }
            f.add(entry);
        }
        out.put("faults", f);
        return out;
    }
}
