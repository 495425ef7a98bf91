package dev.chatlab.scenarios.world;

import dev.chatlab.scenarios.model.StoreCosts;
import dev.chatlab.sim.node.DiskProfile;
import dev.chatlab.sim.random.DelayDistribution;

/**
 * How long the shared message store takes to serve a request: a cost model of its storage engine
 * on a {@link dev.chatlab.sim.node.SimDisk}. Requests queue on one disk and are served in order.
 * <ul>
 *   <li>{@link Kind#LSM} (Cassandra, RocksDB): a write is an append to a log and a memtable, so it
 *       is cheap; a read may look in several levels, so it costs more; every
 *       {@code compactionEveryWrites} writes a compaction holds the disk for
 *       {@code compactionStallMicros}, and requests behind it stall.</li>
 *   <li>{@link Kind#BTREE} (PostgreSQL): a write rewrites a page and its log record, so it costs
 *       more; a read walks a few cached pages, so it is cheap; no compaction.</li>
 * </ul>
 * Service times are log-normal around their medians with log-space spread {@code sigma}.
 *
 * <pre>{@code
 * StoreModel lsm = StoreModel.lsm();                                   // 40 us writes, 250 us reads, 20 ms stall / 2000 writes
 * StoreModel pg = StoreModel.btree().withMedians(400, 60);             // write, read medians in us
 * disk.setProfile(lsm.diskProfile());
 * }</pre>
 *
 * @param kind                   the engine
 * @param writeMedianMicros      median service time of a write (claim, append, membership, watermark)
 * @param readMedianMicros       median service time of a read (a range of messages, a user's chats)
 * @param sigma                  log-space standard deviation of both
 * @param compactionEveryWrites  LSM only: writes between two compactions (0: never)
 * @param compactionStallMicros  LSM only: how long a compaction holds the disk
 * @param ops                    service times per operation kind from a {@code kind: store} model file, which
 *                               replace the disk model at the full level; null: the disk model above
 */
public record StoreModel(Kind kind, long writeMedianMicros, long readMedianMicros, double sigma,
                         int compactionEveryWrites, long compactionStallMicros, StoreCosts ops) {

    /** The disk model, no model file. */
    public StoreModel(Kind kind, long writeMedianMicros, long readMedianMicros, double sigma,
                      int compactionEveryWrites, long compactionStallMicros) {
        this(kind, writeMedianMicros, readMedianMicros, sigma, compactionEveryWrites, compactionStallMicros, null);
    }

    /** The storage engines modelled. */
    public enum Kind { LSM, BTREE }

    /** Bytes per second of the model's disk: 1 byte per microsecond... times a thousand, so a stall of s us is s*1000 bytes. */
    static final long BYTES_PER_SECOND = 1_000_000_000L;

    public StoreModel {
        if (writeMedianMicros <= 0 || readMedianMicros <= 0) {
            throw new IllegalArgumentException("service time medians must be positive");
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("sigma must not be negative: " + sigma);
        }
        if (compactionEveryWrites < 0 || compactionStallMicros < 0) {
            throw new IllegalArgumentException("compaction settings must not be negative");
        }
    }

    public static StoreModel lsm() {
        return new StoreModel(Kind.LSM, 40, 250, 0.5, 2_000, 20_000);
    }

    public static StoreModel btree() {
        return new StoreModel(Kind.BTREE, 300, 80, 0.5, 0, 0);
    }

    public StoreModel withMedians(long writeMicros, long readMicros) {
        return new StoreModel(kind, writeMicros, readMicros, sigma, compactionEveryWrites, compactionStallMicros, ops);
    }

    /** This engine with each operation's service time from a model file instead of the disk model. */
    public StoreModel withOps(StoreCosts c) {
        return new StoreModel(kind, writeMedianMicros, readMedianMicros, sigma, compactionEveryWrites,
                compactionStallMicros, c);
    }

    /** The disk that serves this model: write and read latencies as above; fsync is part of a write. */
    public DiskProfile diskProfile() {
        return new DiskProfile(latency(writeMedianMicros), latency(readMedianMicros), DelayDistribution.constant(0),
                BYTES_PER_SECOND);
    }

    /** The bytes a compaction writes, so that at this disk's rate it holds the disk for the stall. */
    long compactionBytes() {
        return compactionStallMicros * (BYTES_PER_SECOND / 1_000_000);
    }

    private DelayDistribution latency(long median) {
        return sigma == 0 ? DelayDistribution.constant(median) : DelayDistribution.logNormal(median, sigma);
    }
}
