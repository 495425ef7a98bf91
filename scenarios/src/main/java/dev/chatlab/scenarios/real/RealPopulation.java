package dev.chatlab.scenarios.real;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.sim.ZipfSampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who talks in a real run, and what they do: users {@code u1..uN} with devices {@code d1..dK},
 * chats {@code c1..cM} of distinct members drawn from the seed, and the workload as timed user
 * actions (Poisson message arrivals at the scenario's rate; some typing before, some reading
 * after). The same rules as the sim engine's generator, written for a population that the real
 * engine may have scaled down.
 *
 * <pre>{@code
 * RealPopulation people = RealPopulation.draw(scaled.population(), new SplittableRandom(seed));
 * people.workload(scaled.workload(), quiesceAtMicros, random, (at, user, device, action) -> fleet.act(at, user, device, action));
 * }</pre>
 */
record RealPopulation(List<String> users, List<String> devices, Map<String, List<String>> members) {

    /** Where generated actions go. */
    interface Actions {
        void act(long atMicros, String user, String device, UserAction action);
    }

    static final long TYPING_LEAD_MAX_MICROS = 500_000;
    static final long READ_LAG_MAX_MICROS = 1_000_000;

    static RealPopulation draw(Scenario.Population spec, SplittableRandom random) {
        List<String> users = new ArrayList<>();
        for (int u = 1; u <= spec.users(); u++) {
            users.add("u" + u);
        }
        List<String> devices = new ArrayList<>();
        for (int d = 1; d <= spec.devicesPerUser(); d++) {
            devices.add("d" + d);
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        Scenario.GroupSizes shape = spec.groupSizes();
        // As the simulator draws them (sim.Population): sizes 2..max, pairs the most common.
        ZipfSampler sizes = shape.zipf() ? new ZipfSampler(shape.max() - 1, shape.exponent()) : null;
        for (int c = 1; c <= spec.chats(); c++) {
            int groupSize = Math.min(sizes == null ? spec.groupSize() : 1 + sizes.sample(random), users.size());
            List<String> pool = new ArrayList<>(users);
            List<String> picked = new ArrayList<>();
            for (int i = 0; i < groupSize; i++) {
                picked.add(pool.remove(random.nextInt(pool.size())));
            }
            members.put("c" + c, List.copyOf(picked));
        }
        return new RealPopulation(List.copyOf(users), List.copyOf(devices), members);
    }

    /** Emits every action of the workload from {@code startMicros} until {@code endMicros}; returns the messages planned. */
    long workload(Scenario.Workload spec, long startMicros, long endMicros, SplittableRandom random, Actions out) {
        if (spec.messagesPerSecond() <= 0 || members.isEmpty()) {
            return 0;
        }
        List<String> chats = new ArrayList<>(members.keySet());
        Map<String, Long> sent = new LinkedHashMap<>();
        double meanMicros = 1_000_000.0 / spec.messagesPerSecond();
        long messages = 0;
        for (long at = startMicros + gap(random, meanMicros); at < endMicros; at += gap(random, meanMicros)) {
            // The warm-up's ramp, thinned as the simulator thins it.
            double ramp = spec.rampShare(at - startMicros);
            if (ramp < 1 && random.nextDouble() >= ramp) {
                continue;
            }
            String chat = chats.get(random.nextInt(chats.size()));
            List<String> group = members.get(chat);
            String user = group.get(random.nextInt(group.size()));
            String device = devices.get(random.nextInt(devices.size()));
            if (random.nextDouble() < spec.typingProbability()) {
                out.act(Math.max(startMicros, at - 1 - random.nextLong(TYPING_LEAD_MAX_MICROS)), user, device,
                        new UserAction.Type(chat));
            }
            long n = sent.merge(user, 1L, Long::sum);
            out.act(at, user, device, new UserAction.SendMessage(chat, user + "-" + device + "-" + n, "m"));
            messages++;
            if (random.nextDouble() < spec.readProbability()) {
                String reader = group.get(random.nextInt(group.size()));
                String readerDevice = devices.get(random.nextInt(devices.size()));
                out.act(at + 1 + random.nextLong(READ_LAG_MAX_MICROS), reader, readerDevice, new UserAction.ReadChat(chat));
            }
        }
        return messages;
    }

    private static long gap(SplittableRandom random, double meanMicros) {
        return Math.max(1, (long) (-Math.log(1.0 - random.nextDouble()) * meanMicros));
    }
}
