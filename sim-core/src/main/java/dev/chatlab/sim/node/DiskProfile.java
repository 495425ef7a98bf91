package dev.chatlab.sim.node;

import dev.chatlab.sim.random.DelayDistribution;

/**
 * How a simulated disk performs: per-request latency for reads and writes, a transfer rate, and
 * the cost of an fsync.
 *
 * <pre>{@code
 * DiskProfile nvme = DiskProfile.ssd();
 * DiskProfile cheap = new DiskProfile(DelayDistribution.logNormal(2_000, 0.5),
 *         DelayDistribution.logNormal(1_000, 0.5), DelayDistribution.logNormal(8_000, 0.6), 150_000_000);
 * }</pre>
 *
 * @param writeLatency    time to accept a write, before its transfer time
 * @param readLatency     time to serve a read, before its transfer time
 * @param fsyncLatency    time an fsync takes once it reaches the head of the disk's queue
 * @param bytesPerSecond  transfer rate for the bytes of a read or write
 */
public record DiskProfile(DelayDistribution writeLatency, DelayDistribution readLatency,
                          DelayDistribution fsyncLatency, long bytesPerSecond) {

    public DiskProfile {
        if (writeLatency == null || readLatency == null || fsyncLatency == null) {
            throw new IllegalArgumentException("a disk needs read, write and fsync latencies");
        }
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("transfer rate must be positive: " + bytesPerSecond);
        }
    }

    /** A data-centre NVMe drive: ~20 us writes, ~80 us reads, ~400 us fsync, 2 GB/s. */
    public static DiskProfile ssd() {
        return new DiskProfile(DelayDistribution.logNormal(20, 0.3), DelayDistribution.logNormal(80, 0.3),
                DelayDistribution.logNormal(400, 0.4), 2_000_000_000L);
    }

    /** A spinning disk: ~4 ms per request, ~10 ms fsync, 150 MB/s. */
    public static DiskProfile hdd() {
        return new DiskProfile(DelayDistribution.logNormal(4_000, 0.5), DelayDistribution.logNormal(4_000, 0.5),
                DelayDistribution.logNormal(10_000, 0.5), 150_000_000L);
    }
}
