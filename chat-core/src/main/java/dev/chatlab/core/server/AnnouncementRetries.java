package dev.chatlab.core.server;

import java.util.Collection;
import java.util.TreeMap;

/**
 * When a gateway announces a waiting session again to a node that has not acknowledged it. A
 * session's welcome waits for every other node's acknowledgement; an announcement or its
 * acknowledgement lost on a link cut too briefly for membership to notice must be sent again, but a
 * node that is merely slow (a herd of reconnections queued in front of the announcement) must not
 * be sent it again: each copy is more work queued on the slow node, and re-sending every catch-up
 * period made a reconnection in a herd cost 11 announcements and 11 acknowledgements where 3 of each
 * would do.
 *
 * <p>Links between nodes deliver in order, and a node handles its messages in order; so when a
 * node acknowledges a copy sent well after ({@link #ORDER_SLACK_MICROS}) an announcement it has not
 * answered, that announcement or its answer was lost, and it is sent again. A node that answers
 * nothing at all for a while may have lost everything sent to it, with nothing later to show it: its
 * oldest unanswered announcement is sent again as a probe, after {@link #PROBE_MIN_MICROS} of
 * silence, then after twice as long while the node stays silent, up to {@link #PROBE_MAX_MICROS}
 * (a dead node stays silent until membership drops it). The probe's answer shows what was lost
 * behind it. A slow node keeps answering the older announcements, so it gets no copies.
 */
final class AnnouncementRetries {

    /** How much later an answered copy must have been sent for an unanswered one to count as lost. */
    static final long ORDER_SLACK_MICROS = ChatServerNode.CATCH_UP_MICROS;
    static final long PROBE_MIN_MICROS = ChatServerNode.CATCH_UP_MICROS;
    static final long PROBE_MAX_MICROS = 4 * ChatServerNode.CATCH_UP_MICROS;
    /** Long before any time: a node never heard from (no overflow when subtracted from a time). */
    private static final long NEVER = Long.MIN_VALUE / 4;

    private final TreeMap<String, Answers> byNode = new TreeMap<>();

    /** What one node has answered. */
    private static final class Answers {
        /** When the newest copy the node acknowledged was sent. */
        long newestAnsweredMicros = NEVER;
        long lastAnswerMicros = NEVER;
        long probeEveryMicros = PROBE_MIN_MICROS;
    }

    /** {@code node} acknowledged the copy sent at {@code announcedMicros}. */
    void answered(String node, long announcedMicros, long nowMicros) {
        Answers a = byNode.computeIfAbsent(node, n -> new Answers());
        a.newestAnsweredMicros = Math.max(a.newestAnsweredMicros, announcedMicros);
        a.lastAnswerMicros = nowMicros;
        a.probeEveryMicros = PROBE_MIN_MICROS;
    }

    /** Whether the copy sent to {@code node} at {@code announcedMicros}, still unanswered, was lost. */
    boolean lost(String node, long announcedMicros) {
        Answers a = byNode.get(node);
        return a != null && a.newestAnsweredMicros - announcedMicros >= ORDER_SLACK_MICROS;
    }

    /** Whether {@code node}'s oldest unanswered announcement, sent at {@code oldestMicros}, is due as a probe. */
    boolean probeDue(String node, long oldestMicros, long nowMicros) {
        Answers a = byNode.get(node);
        long every = a == null ? PROBE_MIN_MICROS : a.probeEveryMicros;
        long lastAnswer = a == null ? NEVER : a.lastAnswerMicros;
        return nowMicros - lastAnswer >= every && nowMicros - oldestMicros >= every;
    }

    /** A probe went to {@code node}: the next waits twice as long, unless the node answers. */
    void probed(String node) {
        Answers a = byNode.computeIfAbsent(node, n -> new Answers());
        a.probeEveryMicros = Math.min(2 * a.probeEveryMicros, PROBE_MAX_MICROS);
    }

    /** Nodes that left the view are forgotten: one that comes back is a new incarnation. */
    void retain(Collection<String> nodes) {
        byNode.keySet().retainAll(nodes);
    }
}
