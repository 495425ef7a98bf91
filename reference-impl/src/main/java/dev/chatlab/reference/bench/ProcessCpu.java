package dev.chatlab.reference.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time a process and its live descendants have used, from {@code /proc/PID/stat} (Linux).
 * On a machine shared with other work, latency says little about cost, but CPU seconds per
 * message do: they hold whatever the neighbours run.
 *
 * <pre>{@code
 * long before = ProcessCpu.treeNanos(storePid);   // the store's launcher, PostgreSQL and its backends
 * ...
 * long used = ProcessCpu.treeNanos(storePid) - before;
 * }</pre>
 */
final class ProcessCpu {

    /** Clock ticks per second of utime and stime; 100 on every Linux build this runs on (getconf CLK_TCK). */
    static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** User and system CPU of {@code pid} alone, in nanoseconds; 0 where /proc is missing. */
    static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * CPU of {@code pid}'s JIT compiler threads (HotSpot names them {@code C1 CompilerThre} and
     * {@code C2 CompilerThre}), in nanoseconds: while they still work, the process is not warm.
     */
    static long compilerNanos(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException gone) {
                    // A thread that ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** User and system CPU of {@code pid} and every live descendant, in nanoseconds; 0 where /proc is missing. */
    static long treeNanos(long pid) {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // The command in parentheses may hold spaces: the fields that follow are counted from its end.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long id = Long.parseLong(proc.getFileName().toString());
                children.computeIfAbsent(Long.parseLong(f[1]), p -> new ArrayList<>()).add(id);
                ticks.put(id, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            }
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long id = todo.remove(todo.size() - 1);
            total += ticks.getOrDefault(id, 0L);
            todo.addAll(children.getOrDefault(id, List.of()));
        }
        return total * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
