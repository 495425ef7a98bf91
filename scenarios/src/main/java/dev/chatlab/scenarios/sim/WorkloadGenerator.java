package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.scenarios.Scenario;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a workload into user actions in virtual time, from its own random stream: messages arrive
 * as a Poisson process at the scenario's total rate; each goes to a random chat, from a random
 * member on a random device; some are preceded by typing, some followed by another member reading
 * the chat. With churn, devices also go offline at a Poisson rate and come back after a while. Actions are produced slice by slice so that a long run never holds them all.
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

    private final Scenario.Workload spec;
    private final Population people;
    private final SplittableRandom random;
    private final long endMicros;
    private final long[] sentPerUser;
    private long nextArrival;
    private long nextChurn;

    WorkloadGenerator(Scenario.Workload spec, Population people, SplittableRandom random, long endMicros) {
        this.spec = spec;
        this.people = people;
        this.random = random;
        this.endMicros = endMicros;
        this.sentPerUser = new long[people.users().size()];
        this.nextArrival = spec.messagesPerSecond() > 0 ? gap(spec.messagesPerSecond()) : Long.MAX_VALUE;
        this.nextChurn = spec.churnPerSecond() > 0 ? gap(spec.churnPerSecond()) : Long.MAX_VALUE;
    }

    /** Emits the actions of every message that arrives before {@code untilMicros} (and before the workload's end). */
    void emitUntil(long untilMicros, Actions out) {
        long limit = Math.min(untilMicros, endMicros);
        // Messages and churn interleave by time; the message comes first on a tie, so a seed's
        // messages are the same whether or not the scenario churns.
        while (nextArrival < limit || nextChurn < limit) {
            if (nextArrival <= nextChurn) {
                message(nextArrival, out);
                nextArrival += gap(spec.messagesPerSecond());
            } else {
                churn(nextChurn, out);
                nextChurn += gap(spec.churnPerSecond());
            }
        }
    }

    /** A device goes offline, and comes back after the scenario's offline time (never after the workload's end). */
    private void churn(long at, Actions out) {
        String user = people.users().get(random.nextInt(people.users().size()));
        String device = people.devices().get(random.nextInt(people.devices().size()));
        out.act(at, user, device, new UserAction.GoOffline());
        out.act(Math.min(at + spec.offlineMicros(), endMicros), user, device, new UserAction.GoOnline());
    }

    private void message(long at, Actions out) {
        int c = random.nextInt(people.chats().size());
        String chat = people.chats().get(c);
        List<String> members = people.members().get(c);
        String user = members.get(random.nextInt(members.size()));
        String device = people.devices().get(random.nextInt(people.devices().size()));
        if (random.nextDouble() < spec.typingProbability()) {
            out.act(Math.max(0, at - 1 - random.nextLong(TYPING_LEAD_MAX_MICROS)), user, device, new UserAction.Type(chat));
        }
        int u = Integer.parseInt(user.substring(1)) - 1;
        // Unique per sending user across all of the user's devices, as the history format asks.
        String cmid = user + "-" + device + "-" + (++sentPerUser[u]);
        out.act(at, user, device, new UserAction.SendMessage(chat, cmid, "m"));
        if (random.nextDouble() < spec.readProbability()) {
            String reader = members.get(random.nextInt(members.size()));
            String readerDevice = people.devices().get(random.nextInt(people.devices().size()));
            out.act(at + 1 + random.nextLong(READ_LAG_MAX_MICROS), reader, readerDevice, new UserAction.ReadChat(chat));
        }
    }

    /** An exponential gap with mean 1/rate, at least 1us so that time always moves on. */
    private long gap(double perSecond) {
        double meanMicros = 1_000_000.0 / perSecond;
        double u = 1.0 - random.nextDouble();  // in (0, 1], so the log is finite; StrictMath gives the same bits on every JVM
        return Math.max(1, (long) (-StrictMath.log(u) * meanMicros));
    }
}
