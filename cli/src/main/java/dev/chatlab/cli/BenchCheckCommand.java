package dev.chatlab.cli;

import dev.chatlab.checker.bench.CheckBenchmark;
import dev.chatlab.checker.bench.SyntheticHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chatlab bench check}: checker throughput and heap on a generated valid history. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Checker throughput (events/s on one thread) and heap on a generated history.",
            "",
            "Generates a valid synthetic history of about N events (users with several",
            "devices, 1:1 chats and groups, sends, acks, deliveries, reads, receipts,",
            "presence, reconnects with sync, membership changes, a final quiesce) to a",
            "temporary .jsonl file. Then measures, RUNS times each, parsing alone (the",
            "baseline) and parsing plus checking, and prints the medians, the CPU time",
            "per event, the heap the checker holds at the end (after a full GC) and the",
            "peak heap. The checking is on one thread; the CPU time of that thread and",
            "of the whole process (GC, JIT and, with --gzip, the thread that inflates",
            "the file ahead of the reader) are both shown. Bound the heap with a fixed",
            "maximum, for example:",
            "  CHATLAB_JAVA_OPTS=-Xmx1g ./chatlab bench check",
            ""
        })
final class BenchCheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10000000",
            description = "events in the generated history (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--runs", paramLabel = "RUNS", defaultValue = "3",
            description = "measurements of each kind, at least 3 (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the generated history (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--gzip", description = "write the history gzipped (.jsonl.gz), as runs record it")
    boolean gzip;

    @Option(names = "--keep", paramLabel = "FILE", description = "write the history to FILE and keep it (default: a temporary file, deleted)")
    Path keep;

    @Override
    public Integer call() throws Exception {
        if (runs < 3) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 3 (medians of fewer runs mislead)");
        }
        if (events < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--events must be positive");
        }
        Path file = keep != null ? keep : Files.createTempFile("chatlab-bench-check-", gzip ? ".jsonl.gz" : ".jsonl");
        try {
            System.out.printf("seed=%d events=%,d runs=%d max-heap=%,d MiB java=%s%n", seed, events, runs,
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
            long start = System.nanoTime();
            long written = SyntheticHistory.write(file, events, seed);
            System.out.printf("generated %,d events (%,d MiB) in %.1f s: %s%n", written, Files.size(file) >> 20,
                    (System.nanoTime() - start) / 1e9, file);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            CheckBenchmark.Result result = CheckBenchmark.run(file, runs, System::nanoTime,
                    threads::getCurrentThreadCpuTime, CheckBenchmark::processCpuNanos, System.out);
            System.out.print(result.report());
            return result.valid() ? Chatlab.OK : Chatlab.VIOLATED;
        } finally {
            if (keep == null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
