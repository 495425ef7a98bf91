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

    @Test
    void shouldAnnounceAReconnectingDeviceOnceToEachLiveNodeWhileTheNodesAreSlowToAnswer() {
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
        cluster.runUntil(KILL_AT + 15_000_000);
        Map<String, Long> after = cluster.counters();

        // Every device of n1 came back (welcomed) on one of the three others.
        List<HistoryEvent.Connect> back = history.stream()
                .filter(e -> e instanceof HistoryEvent.Connect c && c.t() > KILL_AT).map(e -> (HistoryEvent.Connect) e).toList();
        TreeSet<String> droppedUsers = new TreeSet<>();
        history.stream().filter(e -> e instanceof HistoryEvent.Disconnect d && d.t() >= KILL_AT)
                .forEach(e -> droppedUsers.add(((HistoryEvent.Disconnect) e).user()));
        assertThat(droppedUsers).as("seed %d: n1's devices", SEED).hasSizeGreaterThan(USERS / 6);
        assertThat(back).as("seed %d: every dropped device welcomed again, once", SEED).hasSize(droppedUsers.size());

        // The herd did queue: the last device waited for its welcome well over a catch-up period.
        long lastBack = back.stream().mapToLong(HistoryEvent.Connect::t).max().orElseThrow();
        assertThat(lastBack - KILL_AT).as("seed %d: the herd's length", SEED).isGreaterThan(1_500_000);

        double updates = (double) (after.getOrDefault("peer.DirectoryUpdate", 0L) - before.getOrDefault("peer.DirectoryUpdate", 0L))
                / back.size();
        double acks = (double) (after.getOrDefault("peer.DirectoryAck", 0L) - before.getOrDefault("peer.DirectoryAck", 0L))
                / back.size();
        // Two live nodes besides the device's own: two announcements, two answers (a few probes allowed).
        assertThat(updates).as("seed %d: directory updates handled a reconnection", SEED).isBetween(2.0, 2.2);
        assertThat(acks).as("seed %d: directory acks handled a reconnection", SEED).isBetween(2.0, 2.2);
        assertThat(HistoryJudge.judge(history).problems).as("seed %d", SEED).isEmpty();
    }
}
