package dev.chatlab.checker.bench;

import dev.chatlab.checker.HistoryChecker;
import dev.chatlab.checker.Verdict;
import dev.chatlab.history.io.EventView;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Measures the checker on one history file: events/s of parsing alone (the reader, as the
 * baseline) and of parsing plus checking, on one thread, over several alternating runs; and the
 * heap the checker holds at the end of a run (live data after a full GC) and the peak heap use
 * the JVM saw during the run (which includes garbage not yet collected). The CPU time of the
 * measuring thread is reported beside wall time, because a shared machine slows wall time down;
 * so is the CPU time of the whole process, which also counts the other threads: GC, the JIT, and
 * for a gzipped file the thread that inflates it ahead of the reader.
 *
 * <pre>{@code
 * Path file = Files.createTempFile("bench", ".jsonl");
 * SyntheticHistory.write(file, 10_000_000, 42);
 * ThreadMXBean threads = ManagementFactory.getThreadMXBean();
 * CheckBenchmark.Result result = CheckBenchmark.run(file, 3, System::nanoTime, threads::getCurrentThreadCpuTime,
 *         CheckBenchmark::processCpuNanos, System.out);
 * System.out.print(result.report());
 * }</pre>
 */
public final class CheckBenchmark {

    private CheckBenchmark() {
    }

    /**
     * The figures of all runs.
     *
     * @param events        events in the file
     * @param parseNanos    wall time of each parse-only run
     * @param checkNanos    wall time of each parse-and-check run
     * @param parseCpuNanos CPU time of the measuring thread in each parse-only run
     * @param checkCpuNanos CPU time of the measuring thread in each parse-and-check run
     * @param parseProcessCpuNanos CPU time of the whole process in each parse-only run
     * @param checkProcessCpuNanos CPU time of the whole process in each parse-and-check run
     * @param retainedBytes heap held after a full GC at the end of each check run, checker still alive
     * @param peakBytes     peak heap use (all heap pools) during each check run
     * @param valid         the checker's verdict on the file (a synthetic history must be valid)
     */
    public record Result(long events, long[] parseNanos, long[] checkNanos, long[] parseCpuNanos, long[] checkCpuNanos,
                         long[] parseProcessCpuNanos, long[] checkProcessCpuNanos, long[] retainedBytes, long[] peakBytes,
                         boolean valid) {

        public double parseEventsPerSecond() {
            return events / (median(parseNanos) / 1e9);
        }

        public double checkEventsPerSecond() {
            return events / (median(checkNanos) / 1e9);
        }

        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("events: %,d   runs: %d   verdict: %s%n", events, parseNanos.length,
                    valid ? "valid" : "INVALID (a bug: synthetic histories are valid)"));
            out.append(String.format("parse only (HistoryReader): median %,.0f events/s   runs: %s%n",
                    parseEventsPerSecond(), rates(parseNanos)));
            out.append(String.format("parse + check, one thread:  median %,.0f events/s   runs: %s%n",
                    checkEventsPerSecond(), rates(checkNanos)));
            out.append(String.format("CPU time of the thread, median: parse %.0f ns/event, parse + check %.0f ns/event"
                            + " (%,.0f and %,.0f events/s of CPU)%n",
                    median(parseCpuNanos) / (double) events, median(checkCpuNanos) / (double) events,
                    events / (median(parseCpuNanos) / 1e9), events / (median(checkCpuNanos) / 1e9)));
            out.append(String.format("CPU time of the process (all threads: GC, JIT, inflating a .gz), median: parse %.0f"
                            + " ns/event, parse + check %.0f ns/event%n",
                    median(parseProcessCpuNanos) / (double) events, median(checkProcessCpuNanos) / (double) events));
            out.append(String.format("heap held by the checker at the end (after full GC): median %,d MiB%n",
                    median(retainedBytes) >> 20));
            out.append(String.format("peak heap use during a check run (includes garbage): median %,d MiB, max %,d MiB%n",
                    median(peakBytes) >> 20, Arrays.stream(peakBytes).max().orElse(0) >> 20));
            return out.toString();
        }

        private String rates(long[] nanos) {
            StringBuilder out = new StringBuilder();
            for (long n : nanos) {
                out.append(out.length() == 0 ? "" : ", ").append(String.format("%,.0f", events / (n / 1e9)));
            }
            return out.toString();
        }
    }

    /** Runs parse-only and parse-and-check alternately, {@code runs} times each. */
    public static Result run(Path file, int runs, LongSupplier nanoTime, LongSupplier cpuNanoTime,
                             LongSupplier processCpuNanoTime, PrintStream progress) throws IOException, HistoryFormatException {
        long[] parseProcessCpu = new long[runs];
        long[] checkProcessCpu = new long[runs];
        long[] parse = new long[runs];
        long[] check = new long[runs];
        long[] parseCpu = new long[runs];
        long[] checkCpu = new long[runs];
        long[] retained = new long[runs];
        long[] peak = new long[runs];
        long events = 0;
        boolean valid = true;
        for (int run = 0; run < runs; run++) {
            long start = nanoTime.getAsLong();
            long cpuStart = cpuNanoTime.getAsLong();
            long processStart = processCpuNanoTime.getAsLong();
            events = parseOnly(file);
            parse[run] = nanoTime.getAsLong() - start;
            parseCpu[run] = cpuNanoTime.getAsLong() - cpuStart;
            parseProcessCpu[run] = processCpuNanoTime.getAsLong() - processStart;
            progress.printf("run %d: parse only %,.0f events/s%n", run + 1, events / (parse[run] / 1e9));

            long baseline = usedAfterGc();
            resetPeaks();
            start = nanoTime.getAsLong();
            cpuStart = cpuNanoTime.getAsLong();
            processStart = processCpuNanoTime.getAsLong();
            HistoryChecker checker = new HistoryChecker();
            try (HistoryReader reader = HistoryReader.open(file)) {
                EventView[] batch = EventView.batch(HistoryChecker.BATCH);
                for (int count; (count = reader.nextViews(batch)) > 0; ) {
                    checker.acceptValidated(batch, count, reader.line());
                }
            }
            Verdict verdict = checker.finish();
            check[run] = nanoTime.getAsLong() - start;
            checkCpu[run] = cpuNanoTime.getAsLong() - cpuStart;
            checkProcessCpu[run] = processCpuNanoTime.getAsLong() - processStart;
            peak[run] = peakUsed();
            retained[run] = Math.max(0, usedAfterGc() - baseline);
            valid &= verdict.valid();
            progress.printf("run %d: parse + check %,.0f events/s, checker holds %,d MiB%n", run + 1,
                    events / (check[run] / 1e9), retained[run] >> 20);
            // Keep the checker reachable until its heap was measured.
            if (checker.finish() != verdict) {
                throw new IllegalStateException("finish() must return the same verdict");
            }
        }
        return new Result(events, parse, check, parseCpu, checkCpu, parseProcessCpu, checkProcessCpu, retained, peak, valid);
    }

    private static long parseOnly(Path file) throws IOException, HistoryFormatException {
        long events = 0;
        try (HistoryReader reader = HistoryReader.open(file)) {
            EventView[] batch = EventView.batch(HistoryChecker.BATCH);
            for (int count; (count = reader.nextViews(batch)) > 0; ) {
                events += count;
            }
        }
        return events;
    }

    /** CPU time of this process so far, all threads, in nanoseconds. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakUsed() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
