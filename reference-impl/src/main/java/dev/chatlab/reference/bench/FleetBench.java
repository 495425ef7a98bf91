package dev.chatlab.reference.bench;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.fleet.Fleet;
import dev.chatlab.stores.StoreSeeder;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the recording fleet costs, as a real run uses it: its devices are {@code ClientDevice}s
 * over WebSockets, each frame decoded, each event written to a gzipped history. One chat node
 * (PostgreSQL) serves them. The fleet runs in this process, alone: its heap per idle device is
 * the heap held after the devices were welcomed, less the heap held with none (after full
 * collections); its CPU per message is this process's CPU over the measured seconds (the fleet's
 * event loop, the history writer, the garbage collector, the small loop that schedules the sends)
 * over the messages sent. The devices send in chats of {@code groupSize} at an open-loop rate and
 * report deliveries as the protocol has them do (receipts follow).
 *
 * <pre>{@code
 * FleetBench.Result r = FleetBench.run(Path.of("runs/bench-fleet"), 2000, 4, 500, 20, 3, System.out);
 * }</pre>
 */
public final class FleetBench {

    /** Seconds given to devices to be welcomed, and to the last messages to be answered. */
    static final long WAIT_SECONDS = 120;

    public record Result(int devices, long messages, long acked, long delivered, double fleetCpuMicrosPerMessage,
                         double heapBytesPerIdleDevice, double nodeCpuMicrosPerMessage) {

        /** The figures as summary.json-like fields. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("devices", devices);
            m.put("messages", messages);
            m.put("acked", acked);
            m.put("delivered", delivered);
            m.put("fleet_cpu_us_per_message", Math.round(fleetCpuMicrosPerMessage * 10) / 10.0);
            m.put("fleet_heap_bytes_per_idle_device", Math.round(heapBytesPerIdleDevice));
            m.put("node_cpu_us_per_message", Math.round(nodeCpuMicrosPerMessage * 10) / 10.0);
            return m;
        }
    }

    private FleetBench() {
    }

    public static Result run(Path dir, int devices, int groupSize, double messagesPerSecond, int seconds, int rounds,
                             PrintStream out) throws Exception {
        if (devices < groupSize || groupSize < 2 || messagesPerSecond <= 0 || seconds < 1 || rounds < 1) {
            throw new IllegalArgumentException("need devices >= group size >= 2, a positive rate and seconds >= 1; got "
                    + devices + " devices, groups of " + groupSize + ", " + messagesPerSecond + "/s for " + seconds + " s");
        }
        int chats = devices / groupSize;
        int users = chats * groupSize;
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 1)
                .withNodeArgs(Map.of("rate", "100000", "burst", "100000")));
        HistoryWriter writer = null;
        Fleet fleet = null;
        try {
            Map<String, List<String>> members = new LinkedHashMap<>();
            for (int c = 0; c < chats; c++) {
                List<String> in = new ArrayList<>();
                for (int m = 0; m < groupSize; m++) {
                    in.add("u" + (c * groupSize + m));
                }
                members.put("c" + c, in);
            }
            StoreSeeder.seedPostgres(cluster.storeUrl(), members, true);
            long nodePid = cluster.nodes().get(0).pid();
            writer = HistoryWriter.open(dir.resolve("history.jsonl.gz"));
            List<String> sources = new ArrayList<>();
            for (int a = 1; a <= 4; a++) {
                sources.add("127.0.0." + a);
            }
            fleet = Fleet.start(new Fleet.Settings(List.of("ws://127.0.0.1:" + cluster.nodes().get(0).port() + "/ws"),
                    cluster.secret(), ClientConfig.defaults(), 1, sources), writer);
            long heapEmpty = heapAfterCollections();
            out.printf(Locale.ROOT, "heap with no device: %.1f MiB%n", heapEmpty / 1048576.0);
            for (int u = 0; u < users; u++) {
                fleet.addDevice("u" + u, "d1");
                fleet.act(0, "u" + u, "d1", new UserAction.GoOnline());
            }
            awaitCounter(fleet, "frames_in.welcome", users, "devices welcomed", out);
            long self = ProcessHandle.current().pid();
            long total = (long) (messagesPerSecond * seconds);
            List<Double> heapPerDevice = new ArrayList<>();
            List<Double> fleetCpu = new ArrayList<>();
            List<Double> nodeCpu = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                // Settled: the welcomes' syncs (or the last round's receipts) answered, the sockets idle.
                Thread.sleep(2_000);
                long heapIdle = heapAfterCollections();
                heapPerDevice.add((heapIdle - heapEmpty) / (double) users);
                long cpuBefore = ProcessCpu.nanos(self);
                long nodeBefore = ProcessCpu.nanos(nodePid);
                sendOpenLoop(fleet, "r" + r + "-", chats, groupSize, messagesPerSecond, seconds);
                awaitCounter(fleet, "frames_in.ack", total * r, "messages acknowledged", out);
                Thread.sleep(1_000);
                fleetCpu.add((ProcessCpu.nanos(self) - cpuBefore) / 1000.0 / total);
                nodeCpu.add((ProcessCpu.nanos(nodePid) - nodeBefore) / 1000.0 / total);
                out.printf(Locale.ROOT, "round %d: %d messages; fleet CPU %.1f us a message (node %.1f us); heap %.0f bytes an idle device%n",
                        r, total, fleetCpu.get(r - 1), nodeCpu.get(r - 1), heapPerDevice.get(r - 1));
            }
            Map<String, Long> counters = fleet.counters();
            Result result = new Result(users, total * rounds, counters.getOrDefault("frames_in.ack", 0L),
                    counters.getOrDefault("frames_in.deliver", 0L), median(fleetCpu), median(heapPerDevice), median(nodeCpu));
            out.printf(Locale.ROOT, "median of %d rounds: fleet CPU %.1f us a message, heap %.0f bytes an idle device (node %.1f us a message);"
                            + " %d messages sent, %d acked, %d deliveries%n", rounds, result.fleetCpuMicrosPerMessage(),
                    result.heapBytesPerIdleDevice(), result.nodeCpuMicrosPerMessage(), result.messages(), result.acked(), result.delivered());
            return result;
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            if (writer != null) {
                writer.close();
            }
            cluster.stop();
        }
    }

    /** A round's sends, each at its due time; a second's sends are handed to the fleet a second ahead, so its timers stay few. */
    private static void sendOpenLoop(Fleet fleet, String prefix, int chats, int groupSize, double messagesPerSecond, int seconds)
            throws InterruptedException {
        long total = (long) (messagesPerSecond * seconds);
        long start = fleet.now() + 200_000;
        long scheduled = 0;
        for (int s = 0; s < seconds; s++) {
            long until = Math.min((long) (messagesPerSecond * (s + 1)), total);
            for (long i = scheduled; i < until; i++) {
                int c = (int) (i % chats);
                int sender = c * groupSize + (int) ((i / chats) % groupSize);
                long at = start + (long) (i * 1e6 / messagesPerSecond);
                fleet.act(at, "u" + sender, "d1", new UserAction.SendMessage("c" + c, prefix + i, "body " + i));
            }
            scheduled = until;
            long waitMicros = start + s * 1_000_000L - fleet.now();
            if (waitMicros > 0) {
                Thread.sleep(waitMicros / 1000);
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void awaitCounter(Fleet fleet, String counter, long target, String what, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        long reported = System.nanoTime();
        while (true) {
            long now = fleet.counters().getOrDefault(counter, 0L);
            if (now >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + now + " of " + target + " " + what + " after " + WAIT_SECONDS + " s");
            }
            if (System.nanoTime() - reported > 5_000_000_000L) {
                out.printf(Locale.ROOT, "  %d of %d %s%n", now, target, what);
                reported = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /** Heap in use once collections stop freeing anything. */
    private static long heapAfterCollections() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
