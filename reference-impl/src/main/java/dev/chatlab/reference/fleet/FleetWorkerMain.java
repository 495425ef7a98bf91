package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.stats.RunRecorder;
import dev.chatlab.reference.cluster.Args;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fleet worker process: drives one {@link FleetShare} of a run's devices and writes its own
 * history, on orders from the coordinator ({@link FleetWorkers}), which started it with the same
 * classpath. Orders come one a line on standard input and each gets one answer line on standard
 * output ({@code ok <order> [details]} or {@code error <reason>}); everything else the process
 * says goes to standard error, which the coordinator sends to the worker's log file.
 *
 * <pre>{@code
 * java -cp ... dev.chatlab.reference.fleet.FleetWorkerMain --name w1 --share w1.plan.jsonl.gz \
 *      --history w1.jsonl.gz --stats w1.stats.json --nano-zero 123456789
 * > ready                     (sent by the worker once its devices exist: "ok ready 50")
 * < start 1000 2000000 4000000  devices online from t=1 ms over 2 s, the workload from t=4 s
 * < disconnect 1              drop every connection to endpoint 1 (a mass disconnect)
 * < status                    "ok status events=.. acks=.."
 * < frontier                  "ok frontier {json}": how far the devices have got (see Frontier)
 * < quiesce 1000000           records quiesce; offline devices come back (within 1 s); connected ones stay
 * < finish                    "ok finish {counters}"; the history and stats files are complete
 * }</pre>
 *
 * A worker whose standard input closes (its coordinator is gone) stops at once, so no worker
 * outlives its run.
 */
public final class FleetWorkerMain {

    /** The finish answer's counter of the worker process's CPU time. */
    public static final String CPU_NANOS = "cpu_nanos";

    private FleetWorkerMain() {
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    public static void main(String[] argv) {
        // The answers own standard output; any library that prints goes to the log instead.
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        try {
            System.exit(run(Args.parse(argv), answers));
        } catch (Exception | Error e) {
            e.printStackTrace();
            answers.println("error " + oneLine(e));
            System.exit(1);
        }
    }

    private static int run(Args args, PrintStream answers) throws Exception {
        String name = args.required("name");
        FleetShare share = FleetShare.read(Path.of(args.required("share")));
        Path statsFile = Path.of(args.required("stats"));
        RunRecorder recorder = new RunRecorder();
        HistoryWriter writer = HistoryWriter.open(Path.of(args.required("history")));
        // The fleet's event loop records; the progress line reads from another thread.
        HistorySink recorded = recorder.locked();
        LocalFleet fleet = LocalFleet.start(share, HistorySink.all(writer, recorded), args.number("nano-zero", 0), () -> {
            synchronized (recorder) {
                return "events=" + recorder.events() + " acks=" + recorder.acks() + " delivers=" + recorder.delivers()
                        + " connects=" + recorder.connects();
            }
        });
        System.err.println("fleet worker " + name + ": " + share.deviceCount() + " devices of " + share.users().size()
                + " users, " + share.actions().size() + " actions, source addresses " + share.localAddresses());
        answers.println("ok ready " + share.deviceCount());
        BufferedReader orders = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String order;
        while ((order = orders.readLine()) != null) {
            String[] words = order.trim().split(" ");
            switch (words[0]) {
                case "start" -> {
                    fleet.start(Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]));
                    answers.println("ok start");
                }
                case "disconnect" -> answers.println("ok disconnect " + fleet.disconnectAll(Integer.parseInt(words[1])));
                case "status" -> answers.println("ok status " + fleet.status());
                case "frontier" -> answers.println("ok frontier " + fleet.frontier().toJson());
                case "quiesce" -> {
                    fleet.quiesce(Long.parseLong(words[1]));
                    System.err.println("fleet worker " + name + ": quiesce at t=" + fleet.now());
                    answers.println("ok quiesce");
                }
                case "finish" -> {
                    Map<String, Long> counters = new LinkedHashMap<>(fleet.finish());
                    // The coordinator sums this over its workers: their CPU, read before they exit.
                    counters.put(CPU_NANOS, processCpuNanos());
                    fleet.close();
                    writer.close();
                    writeStats(statsFile, name, recorder, counters);
                    System.err.println("fleet worker " + name + ": finished " + recorder.counts());
                    answers.println("ok finish " + new JsonObject(new LinkedHashMap<String, Object>(counters)).encode());
                    return 0;
                }
                default -> answers.println("error unknown order '" + order + "'");
            }
        }
        System.err.println("fleet worker " + name + ": the coordinator went away (standard input closed); stopping");
        fleet.close();
        writer.close();
        return 3;
    }

    /** The worker's own figures, for a look at one process; the run's statistics come from the merged history. */
    private static void writeStats(Path file, String name, RunRecorder recorder, Map<String, Long> counters)
            throws java.io.IOException {
        JsonObject stats = new JsonObject()
                .put("worker", name)
                .put("counts", new JsonObject(recorder.counts()))
                .put("latency_us", new JsonObject(recorder.latency()))
                .put("reconnect_us", new JsonObject(recorder.reconnectTime()))
                .put("fleet", new JsonObject(new LinkedHashMap<String, Object>(counters)));
        Files.writeString(file, stats.encodePrettily() + "\n", StandardCharsets.UTF_8);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }
}
