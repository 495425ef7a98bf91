package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A herd of reconnections after a node dies: each reconnecting device is announced to every other
 * live node once, and announced again only to a node that lost the announcement, not to one that is
 * slow to answer. The nodes here do 5 ms of work for every frame and peer message, so the survivors'
 * queues hold the announcements for longer than a catch-up period; re-announcing every session
 * every period (as before) sent each reconnection's arrival 8.9 times to the two other live nodes
 * here, where 2 do, and the copies, more work in the queues that made the answers late, made the
 * herd last 4.2 s instead of 2.0 s.
 */
class HerdAnnouncementTest {

    private static final String[] NODES = {"n1", "n2", "n3", "n4"};
    private static final int USERS = 800;
    private static final long KILL_AT = 20_000_000;
    private static final long WORK_MICROS = 5_000;
    private static final long SEED = 11;

    private final List<HistoryEvent> history = new ArrayList<>();

    /** What a herd came to: the reconnections, how long the last took, and the directory messages they cost. */
    private record Herd(int back, int dropped, long lastBackMicros, double updatesEach, double acksEach, long lostOnCut) {
    }

    /** n1 dies at {@link #KILL_AT}; {@code during} may add faults; the run goes on 15 s after the kill. */
    private Herd herd(java.util.function.Consumer<InMemoryCluster> during) {
        var cluster = new InMemoryCluster(SEED, ServerConfig.defaults(), ClientConfig.defaults(), history::add,
                InMemoryCluster.Timing.defaults().withNodeServiceMicros(WORK_MICROS));
        cluster.addNodes(NODES);
        for (int u = 0; u < USERS; u++) {
            cluster.addDevice("u" + u, "phone");
            cluster.act(1_000 + u * 20_000L, "u" + u, "phone", new UserAction.GoOnline());
        }
        cluster.runUntil(KILL_AT);
        Map<String, Long> before = cluster.counters();
        cluster.crash(KILL_AT, "n1");
        during.accept(cluster);
        cluster.runUntil(KILL_AT + 15_000_000);
        Map<String, Long> after = cluster.counters();

        List<HistoryEvent.Connect> back = history.stream()
                .filter(e -> e instanceof HistoryEvent.Connect c && c.t() > KILL_AT).map(e -> (HistoryEvent.Connect) e).toList();
        TreeSet<String> droppedUsers = new TreeSet<>();
        history.stream().filter(e -> e instanceof HistoryEvent.Disconnect d && d.t() >= KILL_AT)
                .forEach(e -> droppedUsers.add(((HistoryEvent.Disconnect) e).user()));
        long lastBack = back.stream().mapToLong(HistoryEvent.Connect::t).max().orElse(KILL_AT);
        double updates = (double) (after.getOrDefault("peer.DirectoryUpdate", 0L) - before.getOrDefault("peer.DirectoryUpdate", 0L))
                / Math.max(1, back.size());
        double acks = (double) (after.getOrDefault("peer.DirectoryAck", 0L) - before.getOrDefault("peer.DirectoryAck", 0L))
                / Math.max(1, back.size());
        return new Herd(back.size(), droppedUsers.size(), lastBack - KILL_AT, updates, acks,
                after.getOrDefault("peer.lost-on-cut", 0L));
    }

    @Test
    void shouldAnnounceAReconnectingDeviceOnceToEachLiveNodeWhileTheNodesAreSlowToAnswer() {
        Herd h = herd(cluster -> { });
        // Every device of n1 came back (welcomed) on one of the three others.
        assertThat(h.dropped()).as("seed %d: n1's devices", SEED).isGreaterThan(USERS / 6);
        assertThat(h.back()).as("seed %d: every dropped device welcomed again, once", SEED).isEqualTo(h.dropped());
        // The herd did queue: the last device waited for its welcome well over a catch-up period.
        assertThat(h.lastBackMicros()).as("seed %d: the herd's length", SEED).isGreaterThan(1_500_000);
        // Two live nodes besides the device's own: two announcements, two answers (a few probes allowed).
        assertThat(h.updatesEach()).as("seed %d: directory updates handled a reconnection", SEED).isBetween(2.0, 2.2);
        assertThat(h.acksEach()).as("seed %d: directory acks handled a reconnection", SEED).isBetween(2.0, 2.2);
        assertThat(HistoryJudge.judge(history).problems).as("seed %d", SEED).isEmpty();
    }

    @Test
    void shouldAnnounceAgainWhatACutLostInTheHerdAsSoonAsLaterAnnouncementsAreAnswered() {
        // n2 and n3 lose what they send each other for 0.3 s in the middle of the herd, unnoticed by membership.
        Herd h = herd(cluster -> cluster.cut(KILL_AT + 700_000, "n2", "n3", 300_000));
        assertThat(h.lostOnCut()).as("seed %d: the cut lost messages", SEED).isPositive();
        assertThat(h.back()).as("seed %d: every dropped device welcomed again, once", SEED).isEqualTo(h.dropped());
        // The node that lost an announcement keeps answering later ones: each lost one is sent again
        // a catch-up period or two after, not when the herd is over and the node falls silent (3.4 s
        // measured, 2.0 s without the cut; with probes of silent nodes alone, 24 of the 204 devices
        // were still waiting for their welcome 15 s after the kill).
        assertThat(h.lastBackMicros()).as("seed %d: the herd's length", SEED).isLessThan(5_000_000);
        assertThat(h.updatesEach()).as("seed %d: directory updates handled a reconnection", SEED).isBetween(2.0, 2.3);
        assertThat(HistoryJudge.judge(history).problems).as("seed %d", SEED).isEmpty();
    }
}
