package dev.chatlab.cli;

import dev.chatlab.sim.bench.HeapMM1;
import dev.chatlab.sim.bench.HeapPhold;
import dev.chatlab.sim.bench.MM1;
import dev.chatlab.sim.bench.Phold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * {@code chatlab bench sim}: events per second of the simulator kernel on PHOLD (100,000 logical
 * processes, 1,000,000 pending events) and on an M/M/1 queue, next to a baseline measured in the
 * same run on the same workloads: the event loop most Java simulators use, a
 * {@link java.util.PriorityQueue} of event objects. The timing lives here, not in sim-core,
 * which never reads the clock.
 *
 * <p>Like JMH, each measurement runs in a fresh JVM (same classpath and JVM options, default
 * collector), warmed up first: in one JVM, whichever workload ran first would leave the JIT's
 * profile of the shared kernel code tuned for it. The runs of the four benchmarks are
 * interleaved, so a noisy neighbour hurts them alike, and the median is reported.
 *
 * <pre>
 * chatlab bench sim                     # 3 runs: 20M PHOLD events (5M on the baseline), 50M M/M/1 events
 * chatlab bench sim --runs 5 --in-process
 * </pre>
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {
            "Simulator kernel events/s on PHOLD and M/M/1, next to a PriorityQueue baseline.",
            "The workloads are PHOLD (100,000 LPs, 1M pending events) and M/M/1 (arrival 0.9, service 1.0); the"
                    + " baseline, measured in the same run, is the event loop most Java simulators use: a"
                    + " java.util.PriorityQueue of event objects. Each measurement runs warmed up in a fresh JVM;"
                    + " the median of --runs runs is reported."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab bench sim           # 3 runs: 20M PHOLD events, 50M M/M/1 events",
            "  chatlab bench sim --runs 5 --in-process"
        })
final class BenchSimCommand implements Callable<Integer> {

    static final double PHOLD_TARGET = 4_000_000;
    static final double MM1_TARGET = 25_000_000;

    /** The four measurements, in the order each round runs them. */
    enum Bench {
        PHOLD_KERNEL("phold-kernel"), PHOLD_BASELINE("phold-baseline"), MM1_KERNEL("mm1-kernel"), MM1_BASELINE("mm1-baseline");

        final String id;

        Bench(String id) {
            this.id = id;
        }

        boolean phold() {
            return this == PHOLD_KERNEL || this == PHOLD_BASELINE;
        }

        static Bench byId(String id) {
            for (Bench bench : values()) {
                if (bench.id.equals(id)) {
                    return bench;
                }
            }
            throw new IllegalArgumentException("no benchmark " + id);
        }
    }

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs per workload and queue, at least 3 (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "Unreported warm-up runs at a tenth of the size before each measured run (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--phold-events", defaultValue = "20000000", description = "PHOLD events per kernel run (default: ${DEFAULT-VALUE}).")
    long pholdEvents;

    @Option(names = "--baseline-phold-events", defaultValue = "5000000",
            description = "PHOLD events per baseline run: the baseline is slow and its rate is steady from the first event (default: ${DEFAULT-VALUE}).")
    long baselinePholdEvents;

    @Option(names = "--mm1-events", defaultValue = "50000000", description = "M/M/1 events per run (default: ${DEFAULT-VALUE}).")
    long mm1Events;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the workloads (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--in-process", description = "Measure everything in this JVM instead of one fresh JVM per measurement (faster, less faithful).")
    boolean inProcess;

    @Option(names = "--child", hidden = true, description = "Internal: run one measurement and print it.")
    String child;

    /**
     * One measured run: events dispatched, wall and CPU nanoseconds taken (CPU time of the
     * measuring thread, which a busy machine's time-slicing does not inflate), and a digest of
     * the order the events ran in.
     */
    record Sample(long events, long nanos, long cpuNanos, long checksum) {
        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }

        double eventsPerCpuSecond() {
            return events / (cpuNanos / 1e9);
        }

        String line() {
            return "sample " + events + " " + nanos + " " + cpuNanos + " " + checksum;
        }

        static Sample parse(String line) {
            String[] parts = line.trim().split(" ");
            return new Sample(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        }
    }

    @Override
    public Integer call() {
        if (runs < 3) {
            System.err.println("chatlab: --runs must be at least 3 (a median of fewer says little)");
            return Chatlab.BAD_INPUT;
        }
        if (pholdEvents < 1 || baselinePholdEvents < 1 || mm1Events < 1 || warmups < 0) {
            System.err.println("chatlab: event counts must be positive and --warmup non-negative");
            return Chatlab.BAD_INPUT;
        }
        if (child != null) {
            Bench bench = Bench.byId(child);
            System.out.println(measureWarm(bench).line());
            return Chatlab.OK;
        }
        printSettings();
        List<List<Sample>> samples = new ArrayList<>();
        for (int i = 0; i < Bench.values().length; i++) {
            samples.add(new ArrayList<>());
        }
        if (loadAverage() > Runtime.getRuntime().availableProcessors()) {
            System.out.printf(Locale.ROOT, "note: load average %.1f on %d cpus: other processes share the machine, so wall-clock rates "
                    + "understate the kernel; per-CPU-second rates are less affected%n%n", loadAverage(), Runtime.getRuntime().availableProcessors());
        }
        for (int r = 0; r < runs; r++) {
            for (Bench bench : Bench.values()) {
                Sample sample = inProcess ? measureWarm(bench) : measureInFreshJvm(bench);
                if (sample == null) {
                    return Chatlab.BAD_INPUT;
                }
                samples.get(bench.ordinal()).add(sample);
            }
            System.out.printf(Locale.ROOT, "run %d/%d: PHOLD %s vs %s, M/M/1 %s vs %s events/s (kernel vs baseline)%n", r + 1, runs,
                    rate(samples.get(0).get(r)), rate(samples.get(1).get(r)),
                    rate(samples.get(2).get(r)), rate(samples.get(3).get(r)));
        }
        System.out.println();

        boolean sameOrder = report("PHOLD", samples.get(0), samples.get(1), PHOLD_TARGET);
        sameOrder &= report("M/M/1", samples.get(2), samples.get(3), MM1_TARGET);
        if (!sameOrder) {
            System.out.println("FAILED: the kernel and the baseline dispatched events in a different order");
            return Chatlab.VIOLATED;
        }
        return Chatlab.OK;
    }

    private void printSettings() {
        System.out.println("seed=" + seed);
        System.out.printf(Locale.ROOT, "jvm=%s %s, gc=%s, cpus=%d, max-heap=%dMiB, %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), collectors(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                inProcess ? "all measurements in this JVM" : "one fresh JVM per measurement");
        System.out.printf(Locale.ROOT, "PHOLD: %,d LPs, %,d pending events, delay %.1f + Exp(%.1f) units of 1 s; %,d events per kernel run, %,d per baseline run%n",
                Phold.STANDARD_LPS, Phold.STANDARD_PENDING, Phold.STANDARD_LOOKAHEAD, Phold.STANDARD_MEAN, pholdEvents,
                baselinePholdEvents);
        System.out.printf(Locale.ROOT, "M/M/1: arrival rate %.1f, service rate %.1f; %,d events per run%n",
                MM1.STANDARD_ARRIVAL_RATE, MM1.STANDARD_SERVICE_RATE, mm1Events);
        System.out.printf(Locale.ROOT, "%d measured runs of each, each after %d warm-up runs at a tenth of the size; "
                + "baseline = java.util.PriorityQueue of event objects%n%n", runs, warmups);
    }

    private boolean report(String workload, List<Sample> kernel, List<Sample> baseline, double target) {
        double k = median(kernel, Sample::eventsPerSecond);
        double b = median(baseline, Sample::eventsPerSecond);
        double kCpu = median(kernel, Sample::eventsPerCpuSecond);
        double bCpu = median(baseline, Sample::eventsPerCpuSecond);
        System.out.printf(Locale.ROOT, "%-6s kernel   %8s events/s median (runs: %s); per CPU-second %s%n", workload, mega(k),
                runsOf(kernel), mega(kCpu));
        System.out.printf(Locale.ROOT, "%-6s baseline %8s events/s median (runs: %s); per CPU-second %s%n", workload, mega(b),
                runsOf(baseline), mega(bCpu));
        System.out.printf(Locale.ROOT, "%-6s ratio    %8.2fx kernel/baseline (%.2fx per CPU-second); target %s events/s %s%n",
                workload, k / b, kCpu / bCpu, mega(target), k >= target ? "met" : "NOT met");
        boolean same = kernel.stream().map(Sample::checksum).distinct().count() == 1
                && baseline.stream().map(Sample::checksum).distinct().count() == 1
                && kernel.get(0).checksum() == baseline.get(0).checksum();
        System.out.printf(Locale.ROOT, "%-6s same event order in every run and on both queues: %s%n%n", workload, same ? "yes" : "NO");
        return same;
    }

    // ---------------------------------------------------------------- measuring

    private long eventsOf(Bench bench) {
        switch (bench) {
            case PHOLD_KERNEL:
                return pholdEvents;
            case PHOLD_BASELINE:
                return baselinePholdEvents;
            default:
                return mm1Events;
        }
    }

    /** Kernel and baseline take their digests after the same number of events. */
    private long checkpointOf(Bench bench) {
        return bench.phold() ? Math.min(pholdEvents, baselinePholdEvents) : mm1Events;
    }

    /** Warm-up runs at a tenth of the size, then one measured run, in this JVM. */
    private Sample measureWarm(Bench bench) {
        long events = eventsOf(bench);
        for (int w = 0; w < warmups; w++) {
            measure(bench, Math.max(1, events / 10), Math.max(1, checkpointOf(bench) / 10));
        }
        return measure(bench, events, checkpointOf(bench));
    }

    /** A workload ready to run: the hot loop is inside {@code run}, so this indirection costs nothing per event. */
    interface Workload {
        long run(long events);

        long checksum();
    }

    private Workload build(Bench bench) {
        switch (bench) {
            case PHOLD_KERNEL: {
                Phold phold = Phold.standard(seed);
                return workload(phold::run, phold::checksum);
            }
            case PHOLD_BASELINE: {
                HeapPhold phold = HeapPhold.standard(seed);
                return workload(phold::run, phold::checksum);
            }
            case MM1_KERNEL: {
                MM1 queue = MM1.standard(seed);
                return workload(queue::run, queue::checksum);
            }
            default: {
                HeapMM1 queue = HeapMM1.standard(seed);
                return workload(queue::run, queue::checksum);
            }
        }
    }

    private static Workload workload(LongUnaryOperator run, LongSupplier checksum) {
        return new Workload() {
            @Override
            public long run(long events) {
                return run.applyAsLong(events);
            }

            @Override
            public long checksum() {
                return checksum.getAsLong();
            }
        };
    }

    /**
     * Times {@code events} events of a freshly built workload (building it, with its million
     * initial events, is not timed), taking its digest after {@code checkpoint} events.
     */
    private Sample measure(Bench bench, long events, long checkpoint) {
        Workload workload = build(bench);
        System.gc(); // collect the previous run's garbage before the clock starts
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long first = Math.min(events, checkpoint);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long ran = workload.run(first);
        long digest = workload.checksum();
        if (events > first) {
            ran += workload.run(events - first);
        }
        long nanos = System.nanoTime() - start;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        return new Sample(ran, nanos, cpuNanos, events >= checkpoint ? digest : 0);
    }

    private Sample measureInFreshJvm(Bench bench) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-agentlib") && !argument.startsWith("-javaagent")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Chatlab.class.getName(), "bench", "sim",
                "--child", bench.id, "--runs", String.valueOf(runs), "--warmup", String.valueOf(warmups),
                "--phold-events", String.valueOf(pholdEvents), "--baseline-phold-events", String.valueOf(baselinePholdEvents),
                "--mm1-events", String.valueOf(mm1Events), "--seed", String.valueOf(seed)));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Sample sample = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("sample ")) {
                        sample = Sample.parse(line);
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0 || sample == null) {
                System.err.println("chatlab: the " + bench.id + " measurement JVM failed (exit " + exit + ")");
                return null;
            }
            return sample;
        } catch (IOException e) {
            System.err.println("chatlab: cannot start a JVM for " + bench.id + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---------------------------------------------------------------- formatting

    static double median(List<Sample> samples, ToDoubleFunction<Sample> rate) {
        double[] rates = samples.stream().mapToDouble(rate).sorted().toArray();
        int n = rates.length;
        return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
    }

    private static String runsOf(List<Sample> samples) {
        return samples.stream().map(BenchSimCommand::rate).collect(Collectors.joining(", "));
    }

    private static String rate(Sample sample) {
        return mega(sample.eventsPerSecond());
    }

    private static String mega(double perSecond) {
        return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+"));
    }
}
