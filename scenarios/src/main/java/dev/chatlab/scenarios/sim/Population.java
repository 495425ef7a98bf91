package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who exists in a sim run: users {@code u1..uN}, their devices {@code d1..dK}, and chats
 * {@code c1..cM} whose members are drawn from the seed (the mega chats, if any, come last).
 * Members of a chat are distinct users. A chat has {@code groupSize} members, or with Zipf group
 * sizes a size drawn per chat (before its members) from 2..max, pairs the most common.
 *
 * <pre>{@code
 * Population people = Population.draw(scenario.population(), new SplittableRandom(seed));
 * for (List<String> members : people.members()) { ... }
 * }</pre>
 */
record Population(List<String> users, List<String> devices, List<String> chats, List<List<String>> members) {

    static Population draw(Scenario.Population spec, SplittableRandom random) {
        List<String> users = new ArrayList<>(spec.users());
        for (int u = 1; u <= spec.users(); u++) {
            users.add("u" + u);
        }
        List<String> devices = new ArrayList<>(spec.devicesPerUser());
        for (int d = 1; d <= spec.devicesPerUser(); d++) {
            devices.add("d" + d);
        }
        List<String> chats = new ArrayList<>(spec.chats());
        List<List<String>> members = new ArrayList<>(spec.chats());
        Scenario.GroupSizes shape = spec.groupSizes();
        // Sizes 2..max: a Zipf over k-1 makes pairs the most common chat and max the rarest.
        ZipfSampler sizes = shape.zipf() ? new ZipfSampler(shape.max() - 1, shape.exponent()) : null;
        for (int c = 1; c <= spec.chats(); c++) {
            chats.add("c" + c);
            int size = sizes == null ? spec.groupSize() : 1 + sizes.sample(random);
            members.add(pick(users, size, random));
        }
        for (int m = 1; m <= spec.megaChats(); m++) {
            chats.add("c" + (spec.chats() + m));
            members.add(pick(users, spec.megaGroupSize(), random));
        }
        return new Population(List.copyOf(users), List.copyOf(devices), List.copyOf(chats), List.copyOf(members));
    }

    /** For each user, the other members of every chat the user is in, sorted: whom the user's devices watch. */
    java.util.Map<String, List<String>> contacts() {
        java.util.Map<String, java.util.TreeSet<String>> out = new java.util.TreeMap<>();
        for (List<String> chat : members) {
            for (String user : chat) {
                java.util.TreeSet<String> set = out.computeIfAbsent(user, u -> new java.util.TreeSet<>());
                set.addAll(chat);
                set.remove(user);
            }
        }
        java.util.Map<String, List<String>> result = new java.util.TreeMap<>();
        out.forEach((user, set) -> result.put(user, List.copyOf(set)));
        return result;
    }

    /** {@code k} distinct users in drawing order (a partial Fisher-Yates shuffle over indices). */
    private static List<String> pick(List<String> users, int k, SplittableRandom random) {
        int[] index = new int[users.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(index.length - i);
            int swap = index[i];
            index[i] = index[j];
            index[j] = swap;
            out.add(users.get(index[i]));
        }
        return List.copyOf(out);
    }
}
