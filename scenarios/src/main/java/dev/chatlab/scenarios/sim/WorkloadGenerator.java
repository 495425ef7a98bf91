package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.scenarios.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a workload into user actions in virtual time, from its own random stream: messages arrive
 * as a Poisson process at the scenario's total rate; each goes to a random chat, from a random
 * member on a random device; some are preceded by typing, some followed by another member reading
 * the chat. With churn, devices also go offline at a Poisson rate and come back after a while.
 * Actions are produced slice by slice so that a long run never holds them all.
 *
 * <p>Optional shapes, each drawing nothing extra when off (so a file without them gives the same
 * actions as before they existed):
 * <ul>
 *   <li>a diurnal rate {@code rate * (1 + a * sin(2 pi t / period))}: arrivals are drawn at the peak
 *       rate and each is kept with probability rate(t) / peak (thinning);</li>
 *   <li>Zipf user activity: the sender is drawn first, from a Zipf over the users who are in a chat
 *       (u1 the heaviest), then one of the sender's chats, uniformly;</li>
 *   <li>think time: a user sends at most once per think time. A sender drawn too soon is re-drawn
 *       (up to {@link #THINK_REDRAWS} times); if every draw is too soon, the last one's message
 *       waits until its user may send again, and is dropped if that is after the workload's end.</li>
 * </ul>
 *
 * <pre>{@code
 * var workload = new WorkloadGenerator(scenario.workload(), people, random.split(), endMicros);
 * workload.emitUntil(1_000_000, (at, user, device, action) -> cluster.act(at, user, device, action));
 * }</pre>
 */
final class WorkloadGenerator {

    /** Where generated actions go. */
    interface Actions {
        void act(long atMicros, String user, String device, UserAction action);
    }

    /** How long before its message a typing indicator starts, at most. */
    static final long TYPING_LEAD_MAX_MICROS = 500_000;
    /** How long after a message a reader opens the chat, at most. */
    static final long READ_LAG_MAX_MICROS = 1_000_000;
    /** Draws of another sender when the drawn one is still thinking, before the message waits instead. */
    static final int THINK_REDRAWS = 8;

    private final Scenario.Workload spec;
    private final Population people;
    private final SplittableRandom random;
    private final long endMicros;
    private final long[] sentPerUser;
    /** Arrivals are drawn at this rate: the total rate, or its diurnal peak. */
    private final double arrivalRate;
    /** With Zipf activity: senders by rank, and each user's chats; null when uniform. */
    private final ZipfSampler talkerRanks;
    private final int[] talkers;
    private final int[][] chatsOf;
    /** The first time each user may send again (think time); all 0 without one. */
    private final long[] readyAt;
    private long nextArrival;
    private long nextChurn;

    WorkloadGenerator(Scenario.Workload spec, Population people, SplittableRandom random, long endMicros) {
        this.spec = spec;
        this.people = people;
        this.random = random;
        this.endMicros = endMicros;
        this.sentPerUser = new long[people.users().size()];
        this.readyAt = new long[people.users().size()];
        this.arrivalRate = spec.diurnal().isNone() ? spec.messagesPerSecond()
                : spec.messagesPerSecond() * (1 + spec.diurnal().amplitude());
        if (spec.userActivity().zipf()) {
            List<List<Integer>> chats = new ArrayList<>();
            for (int u = 0; u < people.users().size(); u++) {
                chats.add(new ArrayList<>());
            }
            for (int c = 0; c < people.chats().size(); c++) {
                for (String member : people.members().get(c)) {
                    chats.get(userIndex(member)).add(c);
                }
            }
            this.chatsOf = new int[chats.size()][];
            List<Integer> inAChat = new ArrayList<>();
            for (int u = 0; u < chats.size(); u++) {
                chatsOf[u] = chats.get(u).stream().mapToInt(Integer::intValue).toArray();
                if (chatsOf[u].length > 0) {
                    inAChat.add(u);
                }
            }
            this.talkers = inAChat.stream().mapToInt(Integer::intValue).toArray();
            this.talkerRanks = new ZipfSampler(talkers.length, spec.userActivity().exponent());
        } else {
            this.talkers = null;
            this.chatsOf = null;
            this.talkerRanks = null;
        }
        this.nextArrival = arrivalRate > 0 ? gap(arrivalRate) : Long.MAX_VALUE;
        this.nextChurn = spec.churnPerSecond() > 0 ? gap(spec.churnPerSecond()) : Long.MAX_VALUE;
    }

    /** Emits the actions of every message that arrives before {@code untilMicros} (and before the workload's end). */
    void emitUntil(long untilMicros, Actions out) {
        long limit = Math.min(untilMicros, endMicros);
        // Messages and churn interleave by time; the message comes first on a tie, so a seed's
        // messages are the same whether or not the scenario churns.
        while (nextArrival < limit || nextChurn < limit) {
            if (nextArrival <= nextChurn) {
                if (kept(nextArrival)) {
                    message(nextArrival, out);
                }
                nextArrival += gap(arrivalRate);
            } else {
                churn(nextChurn, out);
                nextChurn += gap(spec.churnPerSecond());
            }
        }
    }

    /**
     * Thinning: an arrival drawn at the peak rate is kept with probability rate(t) / peak. During
     * the warm-up the rate climbs linearly from 0, so a cold system is not handed a backlog it then
     * spends the measured time working off.
     */
    private boolean kept(long at) {
        Scenario.Diurnal d = spec.diurnal();
        double ramp = spec.rampShare(at);
        if (d.isNone() && ramp == 1) {
            return true;
        }
        double relative = 1;
        if (!d.isNone()) {
            double phase = 2 * Math.PI * (double) (at % d.periodMicros()) / d.periodMicros();
            relative = (1 + d.amplitude() * StrictMath.sin(phase)) / (1 + d.amplitude());
        }
        return random.nextDouble() < relative * ramp;
    }

    /** A device goes offline, and comes back after the scenario's offline time (never after the workload's end). */
    private void churn(long at, Actions out) {
        String user = people.users().get(random.nextInt(people.users().size()));
        String device = people.devices().get(random.nextInt(people.devices().size()));
        out.act(at, user, device, new UserAction.GoOffline());
        out.act(Math.min(at + spec.offlineMicros(), endMicros), user, device, new UserAction.GoOnline());
    }

    private void message(long arrival, Actions out) {
        int c;
        int u;
        int draws = 0;
        while (true) {
            if (talkerRanks == null) {
                c = random.nextInt(people.chats().size());
                List<String> members = people.members().get(c);
                u = userIndex(members.get(random.nextInt(members.size())));
            } else {
                u = talkers[talkerRanks.sample(random) - 1];
                c = chatsOf[u][random.nextInt(chatsOf[u].length)];
            }
            if (arrival >= readyAt[u] || ++draws > THINK_REDRAWS) {
                break;
            }
        }
        long at = Math.max(arrival, readyAt[u]);
        if (at >= endMicros) {
            return;   // its sender would still be thinking when the workload ends
        }
        readyAt[u] = at + spec.thinkTimeMicros();
        String chat = people.chats().get(c);
        List<String> members = people.members().get(c);
        String user = people.users().get(u);
        String device = people.devices().get(random.nextInt(people.devices().size()));
        if (random.nextDouble() < spec.typingProbability()) {
            out.act(Math.max(0, at - 1 - random.nextLong(TYPING_LEAD_MAX_MICROS)), user, device, new UserAction.Type(chat));
        }
        // Unique per sending user across all of the user's devices, as the history format asks.
        String cmid = user + "-" + device + "-" + (++sentPerUser[u]);
        out.act(at, user, device, new UserAction.SendMessage(chat, cmid, "m"));
        if (random.nextDouble() < spec.readProbability()) {
            String reader = members.get(random.nextInt(members.size()));
            String readerDevice = people.devices().get(random.nextInt(people.devices().size()));
            out.act(at + 1 + random.nextLong(READ_LAG_MAX_MICROS), reader, readerDevice, new UserAction.ReadChat(chat));
        }
    }

    /** {@code u7} is index 6. */
    private static int userIndex(String user) {
        return Integer.parseInt(user.substring(1)) - 1;
    }

    /** An exponential gap with mean 1/rate, at least 1us so that time always moves on. */
    private long gap(double perSecond) {
        double meanMicros = 1_000_000.0 / perSecond;
        double u = 1.0 - random.nextDouble();  // in (0, 1], so the log is finite; StrictMath gives the same bits on every JVM
        return Math.max(1, (long) (-StrictMath.log(u) * meanMicros));
    }
}
