package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.random.RandomStream;

/**
 * A timing model of one disk: requests queue and are served one at a time, each taking a draw of
 * its latency plus its transfer time, all multiplied by the disk's slowdown (1 when healthy).
 * The disk computes when a request completes; the caller schedules the completion (a node does
 * it through {@link NodeContext#write}), so a completion for a crashed process can be discarded.
 *
 * <pre>{@code
 * SimDisk disk = new SimDisk(sim, random.stream("disk", 0), faults, DiskProfile.ssd());
 * long writtenAt = disk.submitWrite(4_096);
 * long durableAt = disk.submitFsync();           // after the write: one queue
 * disk.slowDown(20);                              // fault: a dying disk (counted as slow-disk)
 * }</pre>
 *
 * <p>Durability is tracked coarsely: bytes written since the last fsync was submitted are
 * "unsynced", and a crash loses them ({@link #lostBytes()}).
 */
public final class SimDisk {

    private final Simulation sim;
    private final RandomStream random;
    private final FaultCounters faults;
    private DiskProfile profile;
    private double slowdown = 1.0;
    private long busyUntil;

    private long writes;
    private long reads;
    private long fsyncs;
    private long bytesWritten;
    private long unsyncedBytes;
    private long lostBytes;

    public SimDisk(Simulation sim, RandomStream random, FaultCounters faults, DiskProfile profile) {
        this.sim = sim;
        this.random = random;
        this.faults = faults;
        this.profile = profile;
    }

    public void setProfile(DiskProfile profile) {
        this.profile = profile;
    }

    public DiskProfile profile() {
        return profile;
    }

    /** Queues a write of {@code bytes}; returns the true time at which it completes. */
    public long submitWrite(long bytes) {
        checkBytes(bytes);
        writes++;
        bytesWritten += bytes;
        unsyncedBytes += bytes;
        return serve(profile.writeLatency().sampleMicros(random) + transferMicros(bytes));
    }

    /** Queues a read of {@code bytes}; returns the true time at which it completes. */
    public long submitRead(long bytes) {
        checkBytes(bytes);
        reads++;
        return serve(profile.readLatency().sampleMicros(random) + transferMicros(bytes));
    }

    /** Queues an fsync of everything written before it; returns the true time at which it completes. */
    public long submitFsync() {
        fsyncs++;
        unsyncedBytes = 0;
        return serve(profile.fsyncLatency().sampleMicros(random));
    }

    private long serve(long serviceMicros) {
        long start = Math.max(sim.now(), busyUntil);
        busyUntil = start + Math.round(serviceMicros * slowdown);
        return busyUntil;
    }

    private long transferMicros(long bytes) {
        return (long) Math.ceil(bytes * 1e6 / profile.bytesPerSecond());
    }

    /** Fault: every request from now on takes {@code factor} times as long. Counted as slow-disk. */
    public void slowDown(double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("a slow disk is at least 1x slower: " + factor);
        }
        faults.record(FaultCounters.SLOW_DISK);
        slowdown = factor;
    }

    /** Ends a slow-disk fault. */
    public void restoreSpeed() {
        slowdown = 1.0;
    }

    public double slowdown() {
        return slowdown;
    }

    /** The owning process crashed: unsynced bytes are gone. The disk itself keeps working. */
    public void crash() {
        lostBytes += unsyncedBytes;
        unsyncedBytes = 0;
    }

    /** True time at which the disk's queue drains. */
    public long busyUntil() {
        return busyUntil;
    }

    public long writes() {
        return writes;
    }

    public long reads() {
        return reads;
    }

    public long fsyncs() {
        return fsyncs;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long unsyncedBytes() {
        return unsyncedBytes;
    }

    /** Bytes written but not fsynced when the owning process crashed, summed over crashes. */
    public long lostBytes() {
        return lostBytes;
    }

    private static void checkBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }
}
