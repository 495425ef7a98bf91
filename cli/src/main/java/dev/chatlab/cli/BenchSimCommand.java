package dev.chatlab.cli;

import dev.chatlab.sim.bench.HeapMM1;
import dev.chatlab.sim.bench.HeapPhold;
import dev.chatlab.sim.bench.MM1;
import dev.chatlab.sim.bench.Phold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * {@code chatlab bench sim}: events per second of the simulator kernel on PHOLD (100,000 logical
 * processes, 1,000,000 pending events) and on an M/M/1 queue, next to a baseline measured in the
 * same JVM, on the same workloads: the event loop most Java simulators use, a
 * {@link java.util.PriorityQueue} of event objects. Each measurement is repeated and the median
 * reported. The timing lives here, not in sim-core, which never reads the clock.
 *
 * <pre>
 * chatlab bench sim                     # 3 runs of 20M PHOLD events and 50M M/M/1 events
 * chatlab bench sim --runs 5 --phold-events 5000000
 * </pre>
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {
            "Simulator kernel events/s on PHOLD (100,000 LPs, 1M pending events) and M/M/1 (arrival 0.9, service 1.0),",
            "next to a baseline measured in the same run: java.util.PriorityQueue of event objects. Median of --runs runs."
        })
final class BenchSimCommand implements Callable<Integer> {

    static final double PHOLD_TARGET = 4_000_000;
    static final double MM1_TARGET = 25_000_000;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs per workload and queue, at least 3 (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Unreported warm-up runs at a tenth of the size (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--phold-events", defaultValue = "20000000", description = "PHOLD events per run (default: ${DEFAULT-VALUE}).")
    long pholdEvents;

    @Option(names = "--mm1-events", defaultValue = "50000000", description = "M/M/1 events per run (default: ${DEFAULT-VALUE}).")
    long mm1Events;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the workloads (default: ${DEFAULT-VALUE}).")
    long seed;

    /** One measured run: events dispatched, nanoseconds taken, and a digest of the order they ran in. */
    record Sample(long events, long nanos, long checksum) {
        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }
    }

    @Override
    public Integer call() {
        if (runs < 3) {
            System.err.println("chatlab: --runs must be at least 3 (a median of fewer says little)");
            return Chatlab.BAD_INPUT;
        }
        if (pholdEvents < 1 || mm1Events < 1 || warmups < 0) {
            System.err.println("chatlab: event counts must be positive and --warmup non-negative");
            return Chatlab.BAD_INPUT;
        }
        System.out.println("seed=" + seed);
        System.out.printf(Locale.ROOT, "jvm=%s %s, gc=%s, cpus=%d, max-heap=%dMiB%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), collectors(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "PHOLD: %,d LPs, %,d pending events, delay %.1f + Exp(%.1f), %,d events per run%n",
                Phold.STANDARD_LPS, Phold.STANDARD_PENDING, Phold.STANDARD_LOOKAHEAD, Phold.STANDARD_MEAN, pholdEvents);
        System.out.printf(Locale.ROOT, "M/M/1: arrival rate %.1f, service rate %.1f, %,d events per run%n",
                MM1.STANDARD_ARRIVAL_RATE, MM1.STANDARD_SERVICE_RATE, mm1Events);
        System.out.printf(Locale.ROOT, "%d warm-up and %d measured runs of each; baseline = java.util.PriorityQueue of event objects%n%n",
                warmups, runs);

        List<LongFunction<Sample>> benches = List.of(this::kernelPhold, this::baselinePhold, this::kernelMm1, this::baselineMm1);
        for (int w = 0; w < warmups; w++) {
            kernelPhold(Math.max(1, pholdEvents / 10));
            baselinePhold(Math.max(1, pholdEvents / 10));
            kernelMm1(Math.max(1, mm1Events / 10));
            baselineMm1(Math.max(1, mm1Events / 10));
        }
        List<List<Sample>> samples = new ArrayList<>();
        for (int i = 0; i < benches.size(); i++) {
            samples.add(new ArrayList<>());
        }
        // Interleave the four measurements so a noisy neighbour hurts them alike.
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < benches.size(); i++) {
                long events = i < 2 ? pholdEvents : mm1Events;
                samples.get(i).add(benches.get(i).apply(events));
            }
            System.out.printf(Locale.ROOT, "run %d/%d: PHOLD %s vs %s, M/M/1 %s vs %s events/s%n", r + 1, runs,
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

    private boolean report(String workload, List<Sample> kernel, List<Sample> baseline, double target) {
        double k = median(kernel);
        double b = median(baseline);
        System.out.printf(Locale.ROOT, "%-6s kernel   %8s events/s median (runs: %s)%n", workload, mega(k), runsOf(kernel));
        System.out.printf(Locale.ROOT, "%-6s baseline %8s events/s median (runs: %s)%n", workload, mega(b), runsOf(baseline));
        System.out.printf(Locale.ROOT, "%-6s ratio    %8.2fx kernel/baseline; target %s events/s %s%n", workload, k / b,
                mega(target), k >= target ? "met" : "NOT met");
        boolean same = kernel.stream().map(Sample::checksum).distinct().count() == 1
                && baseline.stream().map(Sample::checksum).distinct().count() == 1
                && kernel.get(0).checksum() == baseline.get(0).checksum();
        System.out.printf(Locale.ROOT, "%-6s same event order in every run and on both queues: %s%n%n", workload, same ? "yes" : "NO");
        return same;
    }

    private Sample kernelPhold(long events) {
        Phold phold = Phold.standard(seed);
        settle();
        long start = System.nanoTime();
        long ran = phold.run(events);
        long nanos = System.nanoTime() - start;
        return new Sample(ran, nanos, phold.checksum());
    }

    private Sample baselinePhold(long events) {
        HeapPhold phold = HeapPhold.standard(seed);
        settle();
        long start = System.nanoTime();
        long ran = phold.run(events);
        long nanos = System.nanoTime() - start;
        return new Sample(ran, nanos, phold.checksum());
    }

    private Sample kernelMm1(long events) {
        MM1 queue = MM1.standard(seed);
        settle();
        long start = System.nanoTime();
        long ran = queue.run(events);
        long nanos = System.nanoTime() - start;
        return new Sample(ran, nanos, queue.checksum());
    }

    private Sample baselineMm1(long events) {
        HeapMM1 queue = HeapMM1.standard(seed);
        settle();
        long start = System.nanoTime();
        long ran = queue.run(events);
        long nanos = System.nanoTime() - start;
        return new Sample(ran, nanos, queue.checksum());
    }

    /** Collects the previous run's garbage before the clock starts, so no run pays for another's. */
    private static void settle() {
        System.gc();
    }

    static double median(List<Sample> samples) {
        double[] rates = samples.stream().mapToDouble(Sample::eventsPerSecond).sorted().toArray();
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

    private static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+"));
    }
}
