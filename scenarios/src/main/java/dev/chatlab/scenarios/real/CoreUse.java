package dev.chatlab.scenarios.real;

import dev.chatlab.reference.cluster.ClusterLauncher;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a real run's cores went: the CPU time of every node, of the store (its JVM and the
 * PostgreSQL processes under it), of this process (the driver and an in-process fleet) and of
 * fleet workers, over the run's wall time, against the cores the machine has. A run whose
 * processes kept the cores busy says it was saturated, so its latencies read as the machine's
 * limit rather than the system's behaviour.
 *
 * <pre>{@code
 * CoreUse cores = CoreUse.start(cluster);
 * ... the run ...
 * cores.addCpu("fleet workers", workerCpuNanos);  // what the workers reported as they finished
 * Map<String, Object> summary = cores.finish();       // before the cluster stops
 * System.out.println(cores.line());
 * }</pre>
 */
final class CoreUse {

    /** Busy cores at or above this share of the machine's make a saturated run. */
    static final double SATURATED_SHARE = 0.9;

    private final ClusterLauncher cluster;
    private final Map<String, Long> startNanos;
    private final long selfStartNanos;
    private final long wallStartNanos;
    private final long[] machineStart = machineJiffies();
    private final Map<String, Long> extraNanos = new LinkedHashMap<>();
    private Map<String, Object> finished;
    private final Map<String, Double> coresByProcess = new LinkedHashMap<>();

    private CoreUse(ClusterLauncher cluster) {
        this.cluster = cluster;
        this.startNanos = cluster.cpuNanos();
        this.selfStartNanos = selfCpuNanos();
        this.wallStartNanos = System.nanoTime();
    }

    static CoreUse start(ClusterLauncher cluster) {
        return new CoreUse(cluster);
    }

    /** Counts CPU time of processes that started with the run (fleet workers report theirs as they finish). */
    void addCpu(String label, long nanos) {
        extraNanos.merge(label, nanos, Long::sum);
    }

    /** The summary's {@code cpu} section; call it before the cluster stops. */
    Map<String, Object> finish() {
        if (finished != null) {
            return finished;
        }
        long wallNanos = Math.max(1, System.nanoTime() - wallStartNanos);
        Map<String, Long> used = new LinkedHashMap<>();
        cluster.cpuNanos().forEach((name, nanos) -> used.put(name, Math.max(0, nanos - startNanos.getOrDefault(name, 0L))));
        used.put("chatlab (driver, in-process fleet)", Math.max(0, selfCpuNanos() - selfStartNanos));
        used.putAll(extraNanos);
        Map<String, Object> processes = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : used.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cpu_seconds", round(e.getValue() / 1e9));
            row.put("cores", round((double) e.getValue() / wallNanos));
            coresByProcess.put(e.getKey(), round((double) e.getValue() / wallNanos));
            processes.put(e.getKey(), row);
            total += e.getValue();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double busy = (double) total / wallNanos;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_seconds", round(wallNanos / 1e9));
        out.put("cores_available", cores);
        out.put("cores_busy", round(busy));
        // The machine as a whole: other work on a shared box starves the run as surely as its own processes.
        long[] machineEnd = machineJiffies();
        double machineBusy = busy;
        // Only where /proc/stat counts the cores this process has (not a host's, seen from a container).
        if (machineStart != null && machineEnd != null && machineEnd[1] > machineStart[1] && machineEnd[2] == cores) {
            int cpus = cores;
            machineBusy = (double) (machineEnd[0] - machineStart[0]) / (machineEnd[1] - machineStart[1]) * cpus;
            machineBusy = Math.min(cpus, Math.max(machineBusy, busy));
            out.put("machine_cores_busy", round(machineBusy));
            out.put("others_cores_busy", round(Math.max(0, machineBusy - busy)));
        }
        out.put("saturated", Math.max(busy, machineBusy) >= SATURATED_SHARE * cores);
        out.put("processes", processes);
        finished = out;
        return out;
    }

    /** One line for the console, e.g. {@code cpu over 31.2 s: 1.93 of 2 cores busy (saturated): n1 0.41, ...}. */
    String line() {
        Map<String, Object> f = finish();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "cpu over %.1f s: %.2f of %d cores busy%s%s:",
                (Double) f.get("wall_seconds"), (Double) f.get("cores_busy"), (Integer) f.get("cores_available"),
                f.containsKey("others_cores_busy") ? String.format(Locale.ROOT, " (%.2f more by other work on the machine)",
                        (Double) f.get("others_cores_busy")) : "",
                Boolean.TRUE.equals(f.get("saturated"))
                        ? " (SATURATED: latencies measure this machine's limit, not the system's)" : ""));
        String separator = " ";
        for (Map.Entry<String, Double> e : coresByProcess.entrySet()) {
            out.append(separator).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.2f", e.getValue()));
            separator = ", ";
        }
        return out.append(" (cores each)").toString();
    }

    /** Busy and total jiffies of every CPU and the CPU count, from /proc/stat; null where there is none. */
    static long[] machineJiffies() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"));
            long busy = 0;
            long all = 0;
            int cpus = 0;
            for (String line : lines) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        long v = Long.parseLong(f[i]);
                        all += v;
                        // idle (4th) and iowait (5th) are the time nothing ran
                        busy += i == 4 || i == 5 ? 0 : v;
                    }
                } else if (line.startsWith("cpu")) {
                    cpus++;
                }
            }
            return all == 0 ? null : new long[] {busy, all, cpus};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static long selfCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
