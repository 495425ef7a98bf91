package dev.chatlab.reference.fleet;

import dev.chatlab.stats.RunRecorder;

import dev.chatlab.checker.HistoryChecker;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.reference.cluster.ClusterLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small real run: three node processes, the shared PostgreSQL, 24 devices on real WebSockets,
 * a node killed with kill -9 mid-run. The recorded history must pass every invariant, the kill
 * must have happened, and messages must have flowed.
 */
class RealDriverTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryInvariantWhenANodeIsKilledMidRun() throws Exception {
        Path clusterDir = System.getProperty("chatlab.test.dir") != null ? Path.of(System.getProperty("chatlab.test.dir")) : dir;
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(clusterDir.resolve("cluster"), 3));
        HistoryChecker checker = new HistoryChecker();
        RunRecorder recorder = new RunRecorder();
        AtomicInteger kills = new AtomicInteger();
        RealDriver.Outcome outcome;
        try (HistoryWriter writer = HistoryWriter.open(clusterDir.resolve("history.jsonl.gz"))) {
            outcome = RealDriver.run(cluster, plan(cluster, kills), HistorySink.all(writer, checker, recorder),
                    clock -> {
                        boolean any = false;
                        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
                            if (!cluster.isAlive(n.name())) {
                                cluster.restart(n.name());
                                any = true;
                            }
                        }
                        return any;
                    },
                    System.out::println, () -> "acks=" + recorder.acks() + " delivers=" + recorder.delivers());
        } finally {
            cluster.stop();
        }
        Verdict verdict = checker.finish();
        System.out.println(recorder.counts() + " " + recorder.latency() + " " + outcome.faultLog());
        System.out.print(VerdictSummary.render(verdict, "history.jsonl.gz"));
        assertThat(kills.get()).isEqualTo(1);
        assertThat(outcome.faultLog()).hasSize(1).allMatch(line -> line.contains("done"));
        assertThat((long) recorder.counts().get("acks")).isGreaterThan(50);
        assertThat(recorder.delivers()).isGreaterThan(50);
        assertThat(recorder.connects()).isGreaterThan(24);
        assertThat(verdict.valid()).as(VerdictSummary.render(verdict, "history")).isTrue();
    }

    private static RealDriver.Plan plan(ClusterLauncher cluster, AtomicInteger kills) {
        SplittableRandom random = new SplittableRandom(7);
        List<String> users = new ArrayList<>();
        for (int u = 1; u <= 12; u++) {
            users.add("u" + u);
        }
        List<String> devices = List.of("d1", "d2");
        Map<String, List<String>> chats = new LinkedHashMap<>();
        for (int c = 1; c <= 8; c++) {
            List<String> pool = new ArrayList<>(users);
            List<String> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                members.add(pool.remove(random.nextInt(pool.size())));
            }
            chats.put("c" + c, members);
        }
        List<RealDriver.TimedAction> actions = new ArrayList<>();
        List<String> chatIds = new ArrayList<>(chats.keySet());
        int n = 0;
        for (long at = 100_000; at < 8_000_000; at += 60_000) {
            String chat = chatIds.get(random.nextInt(chatIds.size()));
            String user = chats.get(chat).get(random.nextInt(3));
            String device = devices.get(random.nextInt(2));
            actions.add(new RealDriver.TimedAction(at, user, device,
                    new UserAction.SendMessage(chat, user + "-" + device + "-" + (++n), "m")));
            if (random.nextInt(4) == 0) {
                actions.add(new RealDriver.TimedAction(at + 300_000, chats.get(chat).get(random.nextInt(3)), "d1",
                        new UserAction.ReadChat(chat)));
            }
        }
        List<RealDriver.TimedFault> faults = List.of(new RealDriver.TimedFault(3_000_000, "kill -9 n2", clock -> {
            boolean killed = cluster.kill("n2");
            if (killed) {
                kills.incrementAndGet();
            }
            return killed;
        }));
        return new RealDriver.Plan(chats, users, devices, actions, faults, 9_000_000, 20_000_000,
                ClientConfig.defaults(), 7);
    }
}
