package dev.chatlab.cli;

import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.bench.FuzzBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code chatlab bench fuzz}: a real cluster under fuzzed frames; crashes, hangs, unanswered frames and lost messages. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {
            "Fuzz a real cluster over its WebSockets and judge how it holds up.",
            "",
            "Starts N chat node processes (embedded PostgreSQL by default), has a member send and get acknowledged 36 messages in 3 chats (bodies with NUL, lone surrogates, emoji), then sends FRAMES fuzzed frames from several connections spread over the nodes, as members and outsiders: random and grammar-based mutations of every frame type of docs/protocol.md, before and after the hello, over the frame limit, beyond what the WebSocket layer takes, in fragments, binary, not UTF-8, and floods of pings over the rate limit. Each frame is followed by a ping probe; every answer is tied to its frame (by the cmid or chat it names, else by its order before the probe). At the end the chats' creator syncs them: each message acknowledged before the fuzzing must come back with its seq and body.",
            "",
            "Reports frames sent, crashes (a node process died), hangs (a probe or hello unanswered within 11 s), unanswered frames (owed an answer and given none), lost messages, and answers by code (error codes, fail codes, close codes). Exit 0 when there are no crashes, hangs, unanswered frames, lost messages or undocumented close codes; 1 otherwise, naming what failed. The frames depend only on --seed."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab bench fuzz --nodes 3 --frames 1000000",
            "  chatlab bench fuzz --nodes 1 --store memory --frames 50000 --seed 7"
        })
final class BenchFuzzCommand implements Callable<Integer> {

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "chat nodes to start (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--frames", paramLabel = "FRAMES", defaultValue = "1000000",
            description = "fuzzed frames to send, floods included, probes not (default: ${DEFAULT-VALUE})")
    long frames;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the fuzzed frames (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "6",
            description = "fuzzing connections at a time, spread over the nodes (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "postgres",
            description = "postgres (embedded), rocksdb (one per node, chats pinned to homes) or memory (one node only)"
                    + " (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--rate", paramLabel = "FRAMES_PER_S", defaultValue = "4000",
            description = "the nodes' rate limit per connection; fuzzing keeps under half of it, floods go over"
                    + " (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--burst", defaultValue = "2000", description = "the nodes' burst above the rate (default: ${DEFAULT-VALUE})")
    int burst;

    @Option(names = "--dir", defaultValue = "runs/bench-fuzz",
            description = "the cluster's folder, emptied first if it holds an earlier run (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || frames < 1 || connections < 1 || rate < 1 || burst < 1 || !store.matches("postgres|rocksdb|memory")
                || (store.equals("memory") && nodes > 1)) {
            System.err.println("chatlab bench fuzz: need --nodes >= 1, --frames >= 1, --connections >= 1, --rate and --burst >= 1,"
                    + " --store postgres, rocksdb or memory (memory with one node only); got --nodes " + nodes + " --store " + store);
            return Chatlab.BAD_INPUT;
        }
        if (Files.exists(dir.resolve("cluster.json"))) {
            // A run's store keeps its chats; the fuzzing creates its chats afresh.
            deleteTree(dir);
        } else if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    System.err.println("chatlab bench fuzz: " + dir + " holds files but no earlier run (no cluster.json): choose another --dir");
                    return Chatlab.BAD_INPUT;
                }
            }
        }
        FuzzBench.Plan plan = new FuzzBench.Plan(List.of(), frames, seed, connections, rate, burst,
                FrameCodec.FRAME_CHARS_MAX_DEFAULT);
        FuzzBench.Report report = FuzzBench.onCluster(dir, nodes, store, plan, System.out);
        System.out.println(report.summary());
        List<String> failed = report.failures();
        if (!failed.isEmpty()) {
            System.out.println("FAILED: " + String.join("; ", failed) + " (seed " + seed + ", node logs in " + dir.resolve("logs") + ")");
            return Chatlab.VIOLATED;
        }
        System.out.println("OK: 0 crashes, 0 hangs, 0 unanswered, 0 lost");
        return Chatlab.OK;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
