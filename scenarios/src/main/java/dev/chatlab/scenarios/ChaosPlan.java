package dev.chatlab.scenarios;

import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.chaos.Swarm;
import dev.chatlab.sim.random.RandomStreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults a run plays: the file's schedule, plus what the scenario's swarm draws from the
 * seed's {@code swarm} stream. Both engines build it here, so one seed draws the same swarm for
 * the simulator and for the real cluster.
 *
 * <pre>{@code
 * ChaosPlan chaos = ChaosPlan.of(scenario.chaos(), scenario.topology().nodeIds(), RandomStreams.root(seed));
 * injector.schedule(chaos.plan());
 * if (chaos.hasSwarm()) summary.put("swarm_drawn", chaos.drawn());
 * }</pre>
 *
 * @param plan  the schedule and the swarm's draw together
 * @param mix   the kinds and the number of faults the swarm chose ({@code kinds}, {@code faults}), or null without a swarm
 * @param drawn every fault the swarm drew, in the schedule's words; empty without a swarm
 */
public record ChaosPlan(FaultPlan plan, Map<String, Object> mix, List<Map<String, Object>> drawn) {

    public static ChaosPlan of(Scenario.Chaos chaos, List<String> nodes, RandomStreams root) {
        FaultPlan plan = chaos.schedule();
        if (chaos.swarm() == null) {
            return new ChaosPlan(plan, null, List.of());
        }
        Swarm swarm = chaos.swarm();
        Swarm.Mix m = swarm.mix(root.stream("swarm"));
        FaultPlan swarmPlan = swarm.draw(root.stream("swarm"), nodes);
        List<Map<String, Object>> drawn = new ArrayList<>();
        for (FaultPlan.Scheduled s : swarmPlan.faults()) {
            drawn.add(Scenario.faultEntry(s));
        }
        Map<String, Object> mix = new LinkedHashMap<>();
        mix.put("kinds", m.kinds());
        mix.put("faults", m.faults());
        return new ChaosPlan(plan.plus(swarmPlan), mix, drawn);
    }

    public boolean hasSwarm() {
        return mix != null;
    }
}
