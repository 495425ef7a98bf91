package dev.chatlab.scenarios.sim;

import dev.chatlab.chaos.FaultInjector;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.checker.invariant.NoLostAck;
import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.reference.fleet.RealDriver;
import dev.chatlab.scenarios.ChaosPlan;
import dev.chatlab.scenarios.Convergence;
import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.world.ChatWorld;
import dev.chatlab.scenarios.world.WorldConfig;
import dev.chatlab.sim.net.LinkProfile;
import dev.chatlab.sim.random.DelayDistribution;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;
import dev.chatlab.stats.RunRecorder;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code level: full}: the scenario on the {@link ChatWorld}, every user a {@code ClientDevice},
 * every node a {@code ChatServerNode}, every message simulated. The fault plan is the file's
 * schedule plus, if the file asks for a swarm, a mix drawn from the seed.
 */
final class FullEngine implements SimEngine {

    /** Virtual time run between two slices of generated workload. */
    static final long SLICE_MICROS = 100_000;
    /** Progress lines shown over a run, at most (and at least one virtual second apart). */
    static final int PROGRESS_LINES_MAX = 20;
    /** A latency draw is capped at this many medians, so one tail draw cannot stall a link for minutes. */
    static final long LATENCY_CAP_MEDIANS = 50;

    @Override
    public Report run(Scenario scenario, long seed, HistorySink history, RunRecorder stats, long bucketMicros,
                      Supplier<NoLostAck.Backlog> backlog, PrintStream progress) {
        RandomStreams root = RandomStreams.root(seed);
        ChatWorld world = new ChatWorld(worldConfig(scenario), root.child("world"), history);
        world.setSeriesBucketMicros(bucketMicros);
        Population people = Population.draw(scenario.population(), splittable(root.stream("population")));
        for (String user : people.users()) {
            for (String device : people.devices()) {
                world.addDevice(user, device);
            }
        }
        for (int c = 0; c < people.chats().size(); c++) {
            world.seedChat(people.chats().get(c), people.members().get(c));
        }
        if (scenario.client().fleetFrameMicros() > 0) {
            world.shareOneFleetLoop(scenario.client().fleetFrameMicros());
        }
        world.start();
        // Paced logins: as a real run's fleet paces them, and the scenario's clock (workload, faults,
        // quiesce, duration) starts after them, as a real run's does; else it starts with the logins.
        RealDriver.Pacing pacing = RealDriver.Pacing.forDevices(people.users().size() * people.devices().size());
        long loginSpread = scenario.client().pacedLogins() ? pacing.loginSpreadMicros() : scenario.client().loginSpreadMicros();
        long zero = scenario.client().pacedLogins() ? pacing.warmUpMicros() : 0;
        login(world, scenario, people, loginSpread, splittable(root.stream("login")));

        ChaosPlan chaos = ChaosPlan.of(scenario.chaos(), scenario.topology().nodeIds(), root);
        FaultPlan plan = shifted(chaos.plan(), zero);
        FaultInjector injector = new FaultInjector(world.simulation(), world);
        injector.schedule(plan);
        long quiesceAt = zero + scenario.quiesceAtMicros();
        world.quiesce(quiesceAt);

        WorkloadGenerator workload = new WorkloadGenerator(scenario.workload(), people,
                splittable(root.stream("workload")), scenario.quiesceAtMicros());
        WorkloadGenerator.Actions act = zero == 0 ? world::act
                : (at, user, device, action) -> world.act(zero + at, user, device, action);
        long end = zero + scenario.durationMicros();
        Convergence convergence = new Convergence(quiesceAt, scenario.convergeWithinMicros());
        long progressEvery = Math.max(1_000_000, roundUp(end / PROGRESS_LINES_MAX, SLICE_MICROS));
        long nextProgress = progressEvery;
        long t = 0;
        // The run lasts its duration, and past it only while devices live after the quiesce are still
        // owed messages (a backlog is not a loss), up to the convergence bound.
        while (t < end || !convergence.settled() && t < convergence.deadlineMicros()) {
            long until = t < end ? Math.min(t + SLICE_MICROS, end) : Math.min(t + SLICE_MICROS, convergence.deadlineMicros());
            if (until > zero) {
                workload.emitUntil(until - zero, act);
            }
            world.runUntil(until);
            t = until;
            if (t > quiesceAt) {
                convergence.observe(t, backlog.get(), world.pendingSends());
            }
            if (t >= nextProgress || t == end) {
                progress.println("[sim] t=" + Durations.format(t) + "/" + Durations.format(end)
                        + " kernel_events=" + world.eventsProcessed() + " acks=" + stats.acks()
                        + " online=" + world.connectedDevices()
                        + " faults=" + injector.ledger().injectedTotal() + "/" + plan.size()
                        + (t > quiesceAt ? " owed=" + convergence.backlog().obligations()
                                + " unanswered=" + world.pendingSends() : ""));
                progress.flush();
                nextProgress += progressEvery;
            }
        }

        Map<String, Object> faults = new LinkedHashMap<>(injector.ledger().toMap());
        faults.put("never_fired", injector.ledger().neverFired());
        if (chaos.hasSwarm()) {
            faults.put("swarm_mix", chaos.mix());
            faults.put("swarm_drawn", chaos.drawn());
        }
        faults.put("primitives", world.primitives());
        Map<String, Object> overTime = new LinkedHashMap<>();
        overTime.put("connect_attempts", world.connectAttempts().toList(t));
        return new Report(faults, world.counters(), overTime, injector.ledger().injectedTotal(), plan.size(),
                convergence.summary(t), world.work(t));
    }

    /** {@code plan} with every fault {@code zero} later. */
    private static FaultPlan shifted(FaultPlan plan, long zero) {
        if (zero == 0) {
            return plan;
        }
        List<FaultPlan.Scheduled> out = new ArrayList<>();
        for (FaultPlan.Scheduled f : plan.faults()) {
            out.add(new FaultPlan.Scheduled(zero + f.atMicros(), f.fault(), f.origin()));
        }
        return new FaultPlan(out);
    }

    private static void login(ChatWorld world, Scenario scenario, Population people, long spreadMicros,
                              SplittableRandom random) {
        Map<String, List<String>> contacts = people.contacts();
        for (String user : people.users()) {
            for (String device : people.devices()) {
                // Devices come online spread over a window at the start, not all in the same microsecond.
                long at = random.nextLong(spreadMicros);
                if (scenario.workload().watchPresence()) {
                    List<String> watch = contacts.getOrDefault(user, List.of());
                    if (!watch.isEmpty()) {
                        world.act(at, user, device, new UserAction.WatchPresence(watch));
                    }
                }
                world.act(at, user, device, new UserAction.GoOnline());
            }
        }
    }

    static WorldConfig worldConfig(Scenario scenario) {
        Scenario.Topology t = scenario.topology();
        ServerConfig server = ServerConfig.defaults().withSequencing(t.sequencing()).withFanOut(t.fanOut())
                .withRouting(t.routing()).withFencing(t.fencing()).withPresenceTtlMicros(t.presenceTtlMicros())
                .withOwnership(t.ownership());
        ClientConfig d = ClientConfig.defaults();
        // Clock-based ids have gaps by design: a device must show them as they come, not wait for a "hole".
        ClientConfig client = new ClientConfig(t.sequencing().contiguous(), scenario.client().reconnect(),
                scenario.client().heartbeatMicros(), d.ackTimeoutMicros(), d.holeWaitMicros(), d.syncPageMax(),
                d.outboxMax(), d.bufferMax());
        Scenario.Network n = scenario.network();
        return new WorldConfig(t.nodeIds(), server, client, link(n.client()), link(n.node()), link(n.store()),
                scenario.store(), n.failureDetectionMicros(), n.connectTimeoutMicros(), scenario.costs());
    }

    static LinkProfile link(Scenario.Link link) {
        DelayDistribution latency = link.sigma() == 0 ? DelayDistribution.constant(link.medianMicros())
                : DelayDistribution.logNormal(link.medianMicros(), link.sigma())
                        .cappedAt(link.medianMicros() * LATENCY_CAP_MEDIANS);
        DelayDistribution jitter = link.jitterMicros() == 0 ? null : DelayDistribution.uniform(0, link.jitterMicros());
        return new LinkProfile(latency, jitter, link.loss(), true);
    }

    private static SplittableRandom splittable(RandomStream stream) {
        return new SplittableRandom(stream.nextLong());
    }

    private static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }
}
